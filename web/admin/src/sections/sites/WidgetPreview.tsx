/* A static picture of the widget with the draft's colour, greeting and pre-chat fields (all as text). */
import { useI18n } from '../../i18n';
import { Icon } from '../../components/Icon';
import { AsideCard } from './AsideCard';
import { textOn, type SiteDraft } from './siteForm';

export function WidgetPreview({ draft }: { draft: SiteDraft }) {
  const { t } = useI18n();
  const color = /^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color : '#2563eb';
  const onColor = textOn(color);
  const fields = draft.preChatEnabled ? draft.fields : [];
  return (
    <AsideCard titleId="preview-title" icon="eye" title={t('sites.preview.title')} testId="site-preview">
      <div className="preview-stage" aria-hidden="true">
        <div className="preview-panel">
          <div className="preview-header" style={{ background: color, color: onColor }}>
            <span className="preview-title">{draft.name.trim() || t('sites.preview.untitled')}</span>
            <span className="preview-status">{t('sites.preview.online')}</span>
          </div>
          <div className="preview-body">
            {draft.greeting.trim() && <div className="preview-bubble">{draft.greeting}</div>}
            {fields.length > 0 && (
              <div className="preview-form">
                {fields.map((field) => (
                  <div key={field.uid} className="preview-field">
                    <span className="preview-label">
                      {field.label || t('sites.preChat.untitled')}
                      {field.required && <span className="preview-required"> *</span>}
                    </span>
                    <span className={`preview-input${field.kind === 'textarea' ? ' preview-textarea' : ''}`} />
                  </div>
                ))}
                <span className="preview-button" style={{ background: color, color: onColor }}>
                  {t('sites.preview.start')}
                </span>
              </div>
            )}
          </div>
        </div>
        <span className="preview-launcher" style={{ background: color, color: onColor }} data-testid="site-preview-launcher">
          <Icon name="chat" size={22} />
        </span>
      </div>
      <p className="aside-card-text preview-note">{t('sites.preview.note')}</p>
    </AsideCard>
  );
}
