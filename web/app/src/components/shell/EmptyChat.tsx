import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon } from '../common/Icon.js';

export function EmptyChat() {
  const { t } = useI18n();
  return (
    <section className="chat chat-empty">
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="chat" size={40} />
      </div>
      <h1>{t('chat.empty.title')}</h1>
      <p className="muted">{t('chat.empty.body')}</p>
    </section>
  );
}
