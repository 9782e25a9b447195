import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Icon } from '../common/Icon.js';

/** Shown while the socket is down. The first connect gets a grace period so a fast start shows nothing. */
export function ConnectionBanner() {
  const { t } = useI18n();
  const status = useAppState((state) => state.connection);
  const actions = useChatActions();
  const [graceOver, setGraceOver] = useState(false);

  useEffect(() => {
    const timer = window.setTimeout(() => setGraceOver(true), 1500);
    return () => window.clearTimeout(timer);
  }, []);

  if (status === 'online' || (status === 'connecting' && !graceOver)) return null;
  const text = status === 'offline' ? t('connection.offline') : status === 'reconnecting' ? t('connection.reconnecting') : t('connection.connecting');
  return (
    <div className={`connection-banner connection-${status}`} role="status" data-testid="connection-banner" data-status={status}>
      <Icon name="alert" size={16} />
      <span>{text}</span>
      {status !== 'connecting' ? (
        <button type="button" className="link-button" onClick={actions.reconnectNow}>
          {t('connection.retryNow')}
        </button>
      ) : null}
    </div>
  );
}
