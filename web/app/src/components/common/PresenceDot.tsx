import { memo } from 'react';
import type { PresenceStatus } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';

const LABEL = { online: 'presence.online', away: 'presence.away', offline: 'presence.offline' } as const;

/** A coloured dot; tests read `data-presence`, screen readers hear the status. */
export const PresenceDot = memo(function PresenceDot({ status, overlay = false }: { status: PresenceStatus; overlay?: boolean }) {
  const { t } = useI18n();
  const label = t(LABEL[status]);
  return <span className={`presence-dot${overlay ? ' presence-dot-overlay' : ''}`} data-presence={status} role="img" aria-label={label} title={label} />;
});
