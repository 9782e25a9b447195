/* Routing: which rule picks the agent for a new chat, and how long the agent has to answer. */
import { useRef, useState, type FormEvent } from 'react';
import { RoutingRule, UpdateServiceSettingsRequest, type ServiceSettings } from '@switchboard/protocol';
import { FieldError, FormAlert } from '../../components/Field';
import { Icon, type IconName } from '../../components/Icon';
import { LoadErrorCard, LoadingCard, PageHeader } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toast';
import { describeError, focusFirstInvalid, formErrorsFromApi, zodFieldErrors, type FieldErrors } from '../../errors';
import { formatDuration } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { hrefFor } from '../../router';
import { serviceApi } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';

const FIELDS = ['routingRule', 'replyTimeoutSeconds'] as const;
type Field = (typeof FIELDS)[number];

const RULES: Record<RoutingRule, { icon: IconName; title: MessageKey; description: MessageKey }> = {
  random: { icon: 'dice', title: 'routing.rule.random', description: 'routing.rule.random.description' },
  round_robin: { icon: 'refresh', title: 'routing.rule.round_robin', description: 'routing.rule.round_robin.description' },
  priority: { icon: 'star', title: 'routing.rule.priority', description: 'routing.rule.priority.description' },
  least_busy: { icon: 'gauge', title: 'routing.rule.least_busy', description: 'routing.rule.least_busy.description' },
};

const TIMEOUT_PRESETS = [0, 30, 60, 120, 300] as const;
const MAX_TIMEOUT = 3600;

export default function RoutingPage(_props: SectionProps) {
  const { t } = useI18n();
  const { notify } = useToast();
  const resource = useResource(() => serviceApi.settings(), [], (error) => notify(describeError(t, error), 'error'));

  return (
    <div className="page page-narrow" data-testid="routing-page">
      <PageHeader title={t('routing.title')} subtitle={t('routing.subtitle')} />
      {resource.state.status === 'loading' && <LoadingCard testId="routing-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('routing.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="routing-error" />
      )}
      {resource.state.status === 'ready' && (
        <RoutingForm
          // A new answer from the server starts a clean form.
          key={JSON.stringify(resource.state.data)}
          settings={resource.state.data}
          onSaved={(settings) => {
            resource.setData(settings);
            notify(t('routing.toast.saved'));
          }}
        />
      )}
    </div>
  );
}

function RoutingForm({ settings, onSaved }: { settings: ServiceSettings; onSaved: (settings: ServiceSettings) => void }) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [rule, setRule] = useState<RoutingRule>(settings.routingRule);
  const [timeout, setTimeoutText] = useState(String(settings.replyTimeoutSeconds));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [busy, setBusy] = useState(false);

  const timeoutNumber = timeout.trim() === '' ? Number.NaN : Number(timeout);
  const dirty = rule !== settings.routingRule || timeoutNumber !== settings.replyTimeoutSeconds;

  const reset = () => {
    setRule(settings.routingRule);
    setTimeoutText(String(settings.replyTimeoutSeconds));
    setErrors({});
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const changes: UpdateServiceSettingsRequest = {};
    if (rule !== settings.routingRule) changes.routingRule = rule;
    if (timeoutNumber !== settings.replyTimeoutSeconds) changes.replyTimeoutSeconds = timeoutNumber;
    const parsed = UpdateServiceSettingsRequest.safeParse(changes);
    if (!parsed.success) {
      setErrors(zodFieldErrors(t, parsed.error, FIELDS));
      focusFirstInvalid(formRef.current);
      return;
    }
    if (Object.keys(parsed.data).length === 0) return;
    setErrors({});
    setBusy(true);
    try {
      const saved = await serviceApi.updateSettings(parsed.data);
      setBusy(false);
      onSaved(saved);
    } catch (error) {
      setBusy(false);
      setErrors(formErrorsFromApi(t, error, FIELDS));
      focusFirstInvalid(formRef.current);
    }
  };

  const timeoutId = 'routing-timeout';
  const timeoutHelp = errors.replyTimeoutSeconds ? `${timeoutId}-error` : `${timeoutId}-hint`;

  return (
    <form ref={formRef} className="card settings-card" onSubmit={onSubmit} noValidate data-testid="routing-form">
      {errors.form && (
        <div className="settings-section">
          <FormAlert testId="form-error">{errors.form}</FormAlert>
        </div>
      )}
      <fieldset className="settings-section fieldset" aria-describedby={errors.routingRule ? 'routing-rule-error' : undefined}>
        <legend className="settings-section-title">{t('routing.rule.legend')}</legend>
        <p className="settings-section-text">{t('routing.rule.help')}</p>
        <div className="choice-cards">
          {RoutingRule.options.map((option) => {
            const info = RULES[option];
            const checked = rule === option;
            return (
              <label key={option} className={`choice-card${checked ? ' choice-card-checked' : ''}`}>
                <input
                  type="radio"
                  name="routingRule"
                  value={option}
                  checked={checked}
                  onChange={() => {
                    setRule(option);
                    setErrors(({ routingRule: _removed, form: _form, ...rest }) => rest);
                  }}
                  aria-describedby={`routing-rule-${option}-description`}
                  data-testid={`routing-rule-${option}`}
                />
                <span className="choice-card-icon" aria-hidden="true">
                  <Icon name={info.icon} size={18} />
                </span>
                <span className="choice-card-text">
                  <span className="choice-card-title">
                    {t(info.title)}
                    {option === settings.routingRule && <span className="badge badge-soft">{t('routing.current')}</span>}
                  </span>
                  <span id={`routing-rule-${option}-description`} className="choice-card-description">
                    {t(info.description)}
                  </span>
                  {option === 'priority' && (
                    <a className="choice-card-link" href={hrefFor('agents')}>
                      {t('routing.rule.priority.link')}
                    </a>
                  )}
                </span>
                <span className="choice-card-check" aria-hidden="true">
                  <Icon name="check" size={14} />
                </span>
              </label>
            );
          })}
        </div>
        <FieldError id="routing-rule-error" error={errors.routingRule} />
      </fieldset>

      <div className="settings-section">
        <h2 className="settings-section-title">{t('routing.timeout.title')}</h2>
        <div className={`field${errors.replyTimeoutSeconds ? ' field-invalid' : ''}`}>
          <label className="field-label" htmlFor={timeoutId}>
            {t('routing.timeout.label')}
          </label>
          <div className="timeout-row">
            <div className="input-suffix-wrap">
              <input
                id={timeoutId}
                className="input input-number"
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_TIMEOUT}
                step={1}
                value={timeout}
                onChange={(event) => {
                  setTimeoutText(event.target.value);
                  setErrors(({ replyTimeoutSeconds: _removed, form: _form, ...rest }) => rest);
                }}
                aria-invalid={errors.replyTimeoutSeconds ? true : undefined}
                aria-describedby={timeoutHelp}
                data-testid="routing-timeout"
              />
              <span className="input-suffix" aria-hidden="true">
                {t('routing.timeout.unit')}
              </span>
            </div>
            <div className="preset-chips" role="group" aria-label={t('routing.timeout.presets')}>
              {TIMEOUT_PRESETS.map((seconds) => (
                <button
                  key={seconds}
                  type="button"
                  className={`preset-chip${timeoutNumber === seconds ? ' preset-chip-active' : ''}`}
                  aria-pressed={timeoutNumber === seconds}
                  onClick={() => {
                    setTimeoutText(String(seconds));
                    setErrors(({ replyTimeoutSeconds: _removed, form: _form, ...rest }) => rest);
                  }}
                >
                  {seconds === 0 ? t('routing.timeout.off') : formatDuration(t, seconds * 1000)}
                </button>
              ))}
            </div>
          </div>
          {errors.replyTimeoutSeconds ? (
            <FieldError id={`${timeoutId}-error`} error={errors.replyTimeoutSeconds} />
          ) : (
            <p id={`${timeoutId}-hint`} className="field-hint">
              {Number.isFinite(timeoutNumber) && timeoutNumber > 0
                ? t('routing.timeout.hint', { duration: formatDuration(t, timeoutNumber * 1000) })
                : t('routing.timeout.hintOff')}
            </p>
          )}
        </div>
      </div>

      <div className="settings-footer" data-dirty={dirty ? 'true' : 'false'}>
        <span className="settings-footer-status" aria-live="polite">
          {dirty ? t('common.unsaved') : ''}
        </span>
        <button type="button" className="btn btn-secondary" onClick={reset} disabled={!dirty || busy}>
          {t('common.discard')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={!dirty || busy} aria-busy={busy} data-testid="routing-save">
          {busy && <Spinner />}
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
