import { useSyncExternalStore } from 'react';
import type { DutyStatus } from '@switchboard/protocol';
import { useGoTo } from '../../hooks/useHashRoute.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure } from '../../lib/errors.js';
import { showToast } from '../../lib/toasts.js';
import { soundSetting, unlockAudio } from '../../net/alerts.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Icon } from '../common/Icon.js';
import { Menu, type MenuItem } from '../common/Menu.js';

const LABEL = { available: 'duty.available', away: 'duty.away', off: 'duty.off' } as const;
const DESCRIPTION = { available: 'duty.available.hint', away: 'duty.away.hint', off: 'duty.off.hint' } as const;

/**
 * The agent's customer-service status in the account header: shows the duty the server recorded
 * (`duty` frames) and switches it (available / away / off duty). Also transcripts and the sound.
 */
export function DutyMenu() {
  const { t } = useI18n();
  const desk = useServiceActions();
  const goTo = useGoTo();
  const duty = useAppState((state) => state.service.duty);
  const connected = useAppState((state) => state.connection === 'online');
  const sound = useSyncExternalStore(soundSetting.subscribe, soundSetting.get);

  const set = (status: DutyStatus): void => {
    desk.setDuty(status).catch((error: unknown) => showToast(describeFailure(t, error)));
  };

  const statuses: DutyStatus[] = ['available', 'away', 'off'];
  const items: MenuItem[] = [
    ...statuses.map((status) => ({
      id: status,
      kind: 'radio' as const,
      checked: duty === status,
      label: t(LABEL[status]),
      description: t(DESCRIPTION[status]),
      icon: <span className="duty-dot" data-duty={status} aria-hidden="true" />,
      onSelect: () => set(status),
    })),
    {
      id: 'transcripts',
      label: t('transcripts.open'),
      icon: <Icon name="archive" size={16} />,
      separatorBefore: true,
      onSelect: () => goTo({ kind: 'transcripts' }),
    },
    {
      id: 'sound',
      kind: 'checkbox',
      checked: sound,
      label: t('duty.sound'),
      icon: <Icon name={sound ? 'volume' : 'volumeOff'} size={16} />,
      onSelect: () => {
        soundSetting.set(!sound);
        if (!sound) unlockAudio();
      },
    },
  ];

  const shown: DutyStatus | 'unknown' = duty ?? 'unknown';
  const label = duty ? t(LABEL[duty]) : t('duty.unknown');
  return (
    <span className="duty-menu" data-testid="duty-status" data-duty={shown} data-stale={!connected || undefined}>
      <Menu
        label={t('duty.menu', { status: label })}
        align="start"
        placement="below"
        triggerClassName="duty-trigger"
        menuClassName="duty-menu-panel"
        header={<p className="menu-note">{t('duty.menuNote')}</p>}
        trigger={
          <>
            <span className="duty-dot" data-duty={shown} aria-hidden="true" />
            <span className="duty-label">{label}</span>
            <Icon name="chevron" size={12} />
          </>
        }
        items={items}
      />
    </span>
  );
}
