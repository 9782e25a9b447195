/* Create or edit a site: name and key, allowed origins, colour, greeting, pre-chat form; live preview and embed snippet. */
import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { CreateSiteRequest, UpdateSiteRequest, type Site } from '@switchboard/protocol';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { describedBy, FieldError, FieldLabelRow, FormAlert } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toast';
import { focusFirstInvalid } from '../../errors';
import { useI18n } from '../../i18n';
import { hrefFor, navigate } from '../../router';
import { serviceApi } from '../../serviceApi';
import { AsideCard } from './AsideCard';
import { PreChatFieldsEditor } from './PreChatFieldsEditor';
import {
  apiSiteErrors,
  COLOR_PRESETS,
  draftOf,
  duplicateKeyErrors,
  embedSnippet,
  NO_ERRORS,
  parseOrigins,
  requestBody,
  sameDraft,
  zodSiteErrors,
  type SiteDraft,
  type SiteErrors,
  type SiteField,
} from './siteForm';
import { WidgetPreview } from './WidgetPreview';

const MAX_GREETING = 500;

export function SiteEditor({ site, onSaved, onDeleted }: { site: Site | null; onSaved: (site: Site) => void; onDeleted: (id: string) => void }) {
  const { t } = useI18n();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState<SiteDraft>(() => draftOf(site, t('sites.greeting.default')));
  const [draft, setDraft] = useState<SiteDraft>(saved);
  const [errors, setErrors] = useState<SiteErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const creating = site === null;
  const dirty = creating || !sameDraft(draft, saved);

  const change = <K extends keyof SiteDraft>(key: K, value: SiteDraft[K], field?: SiteField) => {
    setDraft((current) => ({ ...current, [key]: value }));
    if (field) {
      setErrors((current) => {
        const { [field]: _removed, form: _form, ...rest } = current.fields;
        return { ...current, fields: rest };
      });
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const origins = parseOrigins(draft.origins);
    const body = requestBody(draft);
    const parsed = creating
      ? CreateSiteRequest.safeParse({ ...body, ...(draft.siteKey.trim() ? { siteKey: draft.siteKey.trim() } : {}) })
      : UpdateSiteRequest.safeParse(body);
    const duplicates = duplicateKeyErrors(t, draft.fields);
    if (!parsed.success || Object.keys(duplicates).length > 0) {
      const found = parsed.success ? { fields: {}, rows: {} } : zodSiteErrors(t, parsed.error, origins);
      const rows: SiteErrors['rows'] = { ...duplicates };
      for (const [index, row] of Object.entries(found.rows)) rows[Number(index)] = { ...rows[Number(index)], ...row };
      setErrors({ fields: found.fields, rows });
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors(NO_ERRORS);
    setBusy(true);
    try {
      const result = creating ? await serviceApi.createSite(parsed.data as CreateSiteRequest) : await serviceApi.updateSite(site.id, parsed.data);
      onSaved(result);
      setBusy(false);
      if (creating) {
        notify(t('sites.toast.created', { name: result.name }));
        navigate(hrefFor('sites', result.id), { replace: true });
      } else {
        const next = draftOf(result, result.greeting);
        setSaved(next);
        setDraft(next);
        notify(t('sites.toast.saved', { name: result.name }));
      }
    } catch (error) {
      setBusy(false);
      setErrors(apiSiteErrors(t, error, origins));
      focusFirstInvalid(formRef.current);
    }
  };

  const title = creating ? t('sites.create.title') : t('sites.edit.title', { name: saved.name });

  return (
    <div className="page" data-testid="site-editor">
      <div>
        <a className="back-link" href={hrefFor('sites')} data-testid="back-to-sites">
          <Icon name="arrowLeft" size={16} />
          {t('sites.back')}
        </a>
      </div>
      <PageHeader title={title} subtitle={creating ? t('sites.create.subtitle') : undefined} />
      <div className="editor-layout">
        <form ref={formRef} className="card settings-card" onSubmit={onSubmit} noValidate data-testid="site-form" aria-label={title}>
          {errors.fields.form && (
            <div className="settings-section">
              <FormAlert testId="form-error">{errors.fields.form}</FormAlert>
            </div>
          )}

          <Section title={t('sites.section.general')}>
            <Field label={t('sites.field.name')} error={errors.fields.name} hint={t('sites.hint.name')}>
              {(props) => (
                <input
                  {...props}
                  className="input"
                  value={draft.name}
                  maxLength={100}
                  autoComplete="off"
                  onChange={(event) => change('name', event.target.value, 'name')}
                  data-testid="site-name"
                />
              )}
            </Field>
            <Field label={t('sites.field.siteKey')} error={errors.fields.siteKey} hint={creating ? t('sites.hint.siteKeyNew') : t('sites.hint.siteKeyFixed')}>
              {(props) => (
                <input
                  {...props}
                  className="input input-mono"
                  value={draft.siteKey}
                  maxLength={64}
                  readOnly={!creating}
                  placeholder={creating ? t('sites.placeholder.siteKey') : undefined}
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  onChange={(event) => change('siteKey', event.target.value, 'siteKey')}
                  data-testid="site-key"
                />
              )}
            </Field>
          </Section>

          <Section title={t('sites.section.origins')} description={t('sites.help.origins')}>
            <Field label={t('sites.field.origins')} error={errors.fields.allowedOrigins} hint={<OriginsHint />}>
              {(props) => (
                <textarea
                  {...props}
                  className="input textarea input-mono"
                  rows={4}
                  value={draft.origins}
                  placeholder={'https://www.example.com\nself'}
                  spellCheck={false}
                  autoCapitalize="none"
                  onChange={(event) => change('origins', event.target.value, 'allowedOrigins')}
                  data-testid="site-origins"
                />
              )}
            </Field>
          </Section>

          <Section title={t('sites.section.appearance')}>
            <ColorField value={draft.color} error={errors.fields.color} onChange={(value) => change('color', value, 'color')} />
            <Field
              label={t('sites.field.greeting')}
              error={errors.fields.greeting}
              hint={t('sites.hint.greeting')}
              trailing={
                <span className={`counter${draft.greeting.length > MAX_GREETING ? ' counter-over' : ''}`} aria-hidden="true">
                  {draft.greeting.length}/{MAX_GREETING}
                </span>
              }
            >
              {(props) => (
                <textarea
                  {...props}
                  className="input textarea"
                  rows={3}
                  value={draft.greeting}
                  onChange={(event) => change('greeting', event.target.value, 'greeting')}
                  data-testid="site-greeting"
                />
              )}
            </Field>
          </Section>

          <Section title={t('sites.section.preChat')} description={t('sites.help.preChat')}>
            <label className="switch-row">
              <input
                type="checkbox"
                role="switch"
                className="switch"
                checked={draft.preChatEnabled}
                onChange={(event) => {
                  const enabled = event.target.checked;
                  setDraft((current) => ({
                    ...current,
                    preChatEnabled: enabled,
                    // A sensible start: name and email, which fill in the visitor's details.
                    fields:
                      enabled && current.fields.length === 0
                        ? [
                            { uid: `seed-name`, key: 'name', label: t('sites.seed.name'), kind: 'text', required: true, keyEdited: true },
                            { uid: `seed-email`, key: 'email', label: t('sites.seed.email'), kind: 'email', required: true, keyEdited: true },
                          ]
                        : current.fields,
                  }));
                }}
                data-testid="site-prechat-enabled"
              />
              <span className="switch-text">
                <span className="switch-title">{t('sites.field.preChatEnabled')}</span>
                <span className="switch-description">{draft.preChatEnabled ? t('sites.preChat.enabledHint') : t('sites.preChat.disabledHint')}</span>
              </span>
            </label>
            {draft.preChatEnabled && (
              <PreChatFieldsEditor
                fields={draft.fields}
                errors={errors.rows}
                listError={errors.fields.preChatFields}
                onChange={(fields, touchedRow) => {
                  setDraft((current) => ({ ...current, fields }));
                  setErrors((current) => {
                    const { preChatFields: _removed, form: _form, ...rest } = current.fields;
                    return { fields: rest, rows: touchedRow === undefined ? {} : { ...current.rows, [touchedRow]: {} } };
                  });
                }}
              />
            )}
          </Section>

          <div className="settings-footer" data-dirty={dirty ? 'true' : 'false'}>
            {!creating && (
              <button type="button" className="btn btn-ghost btn-ghost-danger footer-left" onClick={() => setDeleting(true)} title={t('sites.delete')} data-testid="delete-site">
                <Icon name="trash" size={15} />
                <span className="collapse-on-phone">{t('sites.delete')}</span>
              </button>
            )}
            <span className="settings-footer-status" aria-live="polite">
              {!creating && dirty ? t('common.unsaved') : ''}
            </span>
            {!creating && (
              <button type="button" className="btn btn-secondary" onClick={() => {
                  setDraft(saved);
                  setErrors(NO_ERRORS);
                }} disabled={!dirty || busy}>
                {t('common.discard')}
              </button>
            )}
            <button type="submit" className="btn btn-primary" disabled={!dirty || busy} aria-busy={busy} data-testid="site-save">
              {busy && <Spinner />}
              {creating ? t('sites.create.submit') : t('common.save')}
            </button>
          </div>
        </form>

        <aside className="editor-aside" aria-label={t('sites.aside')}>
          <EmbedCard siteKey={creating ? null : saved.siteKey} />
          <WidgetPreview draft={draft} />
        </aside>
      </div>

      {deleting && site && (
        <ConfirmDialog
          title={t('sites.deleteConfirm.title', { name: site.name })}
          body={t('sites.deleteConfirm.body')}
          confirmLabel={t('sites.delete')}
          testId="delete-site-dialog"
          confirmTestId="confirm-delete-site"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await serviceApi.deleteSite(site.id);
            onDeleted(site.id);
            notify(t('sites.toast.deleted', { name: site.name }));
            navigate(hrefFor('sites'), { replace: true });
          }}
        />
      )}
    </div>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} className="settings-section-title">
        {title}
      </h2>
      {description && <p className="settings-section-text">{description}</p>}
      <div className="settings-section-body">{children}</div>
    </section>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control whose hint and error are wired to it; the control itself comes from `children`. */
function Field({
  label,
  error,
  hint,
  trailing,
  children,
}: {
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  trailing?: ReactNode;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <FieldLabelRow id={id} label={label} trailing={trailing} />
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, hint, error) })}
      <FieldError id={`${id}-error`} error={error} />
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}

function OriginsHint() {
  const { t } = useI18n();
  return (
    <>
      {t('sites.hint.origins')}{' '}
      <span>
        <code>self</code> {t('sites.hint.self', { origin: window.location.origin })}
      </span>
    </>
  );
}

function ColorField({ value, error, onChange }: { value: string; error: string | undefined; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {t('sites.field.color')}
      </label>
      <div className="color-row">
        <input
          type="color"
          className="color-input"
          value={valid ? value.toLowerCase() : '#000000'}
          onChange={(event) => onChange(event.target.value)}
          aria-label={t('sites.field.colorPicker')}
          data-testid="site-color-picker"
        />
        <input
          id={id}
          className="input input-mono color-hex"
          value={value}
          maxLength={7}
          spellCheck={false}
          autoCapitalize="none"
          onChange={(event) => {
            const next = event.target.value.trim();
            onChange(next.startsWith('#') || next === '' ? next : `#${next}`);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid="site-color"
        />
        <div className="swatches" role="group" aria-label={t('sites.field.colorPresets')}>
          {COLOR_PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              className="swatch"
              style={{ background: preset }}
              aria-label={preset}
              aria-pressed={value.toLowerCase() === preset}
              title={preset}
              onClick={() => onChange(preset)}
            />
          ))}
        </div>
      </div>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

function EmbedCard({ siteKey }: { siteKey: string | null }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const snippet = useMemo(() => (siteKey ? embedSnippet(window.location.origin, siteKey) : ''), [siteKey]);
  const codeRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      const range = document.createRange();
      if (codeRef.current) {
        range.selectNodeContents(codeRef.current);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
    }
  };

  return (
    <AsideCard
      titleId="embed-title"
      icon="code"
      title={t('sites.embed.title')}
      action={
        siteKey && (
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()} data-testid="copy-embed">
            <Icon name={copied ? 'check' : 'copy'} size={15} />
            {copied ? t('sites.embed.copied') : t('sites.embed.copy')}
          </button>
        )
      }
      testId="site-embed"
    >
      {siteKey ? (
        <>
          <p className="aside-card-text">{t('sites.embed.help')}</p>
          <pre className="code-block">
            <code ref={codeRef} data-testid="site-embed-snippet">
              {snippet}
            </code>
          </pre>
          <span className="visually-hidden" aria-live="polite">
            {copied ? t('sites.embed.copied') : ''}
          </span>
        </>
      ) : (
        <p className="aside-card-text">{t('sites.embed.afterCreate')}</p>
      )}
    </AsideCard>
  );
}
