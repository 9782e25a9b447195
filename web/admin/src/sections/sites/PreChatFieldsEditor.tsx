/* The pre-chat form's fields: add, remove, reorder; label, key, kind, required. */
import { useRef } from 'react';
import { PreChatField } from '@switchboard/protocol';
import { Icon } from '../../components/Icon';
import { useI18n, type MessageKey } from '../../i18n';
import { keyFromLabel, newUid, type FieldDraft, type RowField, type SiteErrors } from './siteForm';
import { FieldError } from '../../components/Field';

const KIND_LABEL: Record<PreChatField['kind'], MessageKey> = {
  text: 'sites.kind.text',
  email: 'sites.kind.email',
  textarea: 'sites.kind.textarea',
};
const KINDS = PreChatField.shape.kind.options;
const MAX_FIELDS = 20;

export function PreChatFieldsEditor({
  fields,
  errors,
  listError,
  onChange,
}: {
  fields: readonly FieldDraft[];
  errors: SiteErrors['rows'];
  listError: string | undefined;
  /** `touchedRow`: the row whose errors the change clears; undefined when rows moved (all cleared). */
  onChange: (fields: FieldDraft[], touchedRow?: number) => void;
}) {
  const { t } = useI18n();
  const listRef = useRef<HTMLOListElement>(null);

  const update = (index: number, patch: Partial<FieldDraft>) => {
    onChange(
      fields.map((field, i) => (i === index ? { ...field, ...patch } : field)),
      index,
    );
  };

  const focusRow = (index: number, selector: string) =>
    requestAnimationFrame(() => listRef.current?.querySelectorAll<HTMLElement>('[data-testid="prechat-field-row"]')[index]?.querySelector<HTMLElement>(selector)?.focus());

  const move = (index: number, by: -1 | 1) => {
    const target = index + by;
    if (target < 0 || target >= fields.length) return;
    const next = [...fields];
    [next[index], next[target]] = [next[target]!, next[index]!];
    onChange(next);
    focusRow(target, by < 0 ? '[data-move="up"]:not(:disabled), [data-move="down"]' : '[data-move="down"]:not(:disabled), [data-move="up"]');
  };

  const remove = (index: number) => {
    onChange(fields.filter((_, i) => i !== index));
    const next = Math.min(index, fields.length - 2);
    if (next >= 0) focusRow(next, 'input');
    else requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="add-prechat-field"]')?.focus());
  };

  const add = () => {
    const label = '';
    const key = keyFromLabel(t('sites.newFieldKey'), fields.map((field) => field.key));
    onChange([...fields, { uid: newUid(), key, label, kind: 'text', required: false, keyEdited: false }]);
    focusRow(fields.length, 'input');
  };

  return (
    <div className="prechat-editor">
      {fields.length === 0 ? (
        <p className="prechat-empty">{t('sites.preChat.noFields')}</p>
      ) : (
        <ol ref={listRef} className="prechat-list" data-testid="prechat-fields">
          {fields.map((field, index) => {
            const rowErrors = errors[index] ?? {};
            const base = `prechat-${field.uid}`;
            const errorProps = (name: RowField) => ({
              'aria-invalid': rowErrors[name] ? (true as const) : undefined,
              'aria-describedby': rowErrors[name] ? `${base}-${name}-error` : undefined,
            });
            const position = t('sites.preChat.position', { n: index + 1, label: field.label || t('sites.preChat.untitled') });
            return (
              <li key={field.uid} className="prechat-row" data-testid="prechat-field-row" aria-label={position}>
                <div className="prechat-order">
                  <button
                    type="button"
                    className="icon-button icon-button-small"
                    onClick={() => move(index, -1)}
                    disabled={index === 0}
                    aria-label={t('sites.preChat.moveUp', { label: field.label || t('sites.preChat.untitled') })}
                    title={t('sites.preChat.moveUpShort')}
                    data-move="up"
                  >
                    <Icon name="arrowUp" size={14} />
                  </button>
                  <span className="prechat-index" aria-hidden="true">
                    {index + 1}
                  </span>
                  <button
                    type="button"
                    className="icon-button icon-button-small"
                    onClick={() => move(index, 1)}
                    disabled={index === fields.length - 1}
                    aria-label={t('sites.preChat.moveDown', { label: field.label || t('sites.preChat.untitled') })}
                    title={t('sites.preChat.moveDownShort')}
                    data-move="down"
                  >
                    <Icon name="arrowDown" size={14} />
                  </button>
                </div>
                <div className="prechat-grid">
                  <div className={`field prechat-label${rowErrors.label ? ' field-invalid' : ''}`}>
                    <label className="field-label field-label-small" htmlFor={`${base}-label`}>
                      {t('sites.preChat.label')}
                    </label>
                    <input
                      id={`${base}-label`}
                      className="input input-compact"
                      value={field.label}
                      maxLength={100}
                      placeholder={t('sites.preChat.labelPlaceholder')}
                      onChange={(event) => {
                        const label = event.target.value;
                        const others = fields.filter((_, i) => i !== index).map((other) => other.key);
                        update(index, field.keyEdited ? { label } : { label, key: keyFromLabel(label || t('sites.newFieldKey'), others) });
                      }}
                      {...errorProps('label')}
                      data-testid="prechat-label"
                    />
                    <FieldError id={`${base}-label-error`} error={rowErrors.label} />
                  </div>
                  <div className={`field prechat-key${rowErrors.key ? ' field-invalid' : ''}`}>
                    <label className="field-label field-label-small" htmlFor={`${base}-key`}>
                      {t('sites.preChat.key')}
                    </label>
                    <input
                      id={`${base}-key`}
                      className="input input-compact input-mono"
                      value={field.key}
                      maxLength={32}
                      spellCheck={false}
                      autoCapitalize="none"
                      onChange={(event) => update(index, { key: event.target.value.toLowerCase(), keyEdited: true })}
                      {...errorProps('key')}
                      data-testid="prechat-key"
                    />
                    <FieldError id={`${base}-key-error`} error={rowErrors.key} />
                  </div>
                  <div className="field prechat-kind">
                    <label className="field-label field-label-small" htmlFor={`${base}-kind`}>
                      {t('sites.preChat.kind')}
                    </label>
                    <select
                      id={`${base}-kind`}
                      className="select select-compact"
                      value={field.kind}
                      onChange={(event) => update(index, { kind: event.target.value as PreChatField['kind'] })}
                      {...errorProps('kind')}
                      data-testid="prechat-kind"
                    >
                      {KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(KIND_LABEL[kind])}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`${base}-kind-error`} error={rowErrors.kind} />
                  </div>
                  <label className="checkbox-row prechat-required">
                    <input type="checkbox" checked={field.required} onChange={(event) => update(index, { required: event.target.checked })} data-testid="prechat-required" />
                    {t('sites.preChat.required')}
                  </label>
                </div>
                <button
                  type="button"
                  className="icon-button prechat-remove"
                  onClick={() => remove(index)}
                  aria-label={t('sites.preChat.remove', { label: field.label || t('sites.preChat.untitled') })}
                  title={t('sites.preChat.removeShort')}
                  data-testid="remove-prechat-field"
                >
                  <Icon name="trash" size={16} />
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <FieldError id="prechat-list-error" error={listError} />
      <div className="prechat-footer">
        <button type="button" className="btn btn-secondary btn-small" onClick={add} disabled={fields.length >= MAX_FIELDS} data-testid="add-prechat-field">
          <Icon name="plus" size={15} />
          {t('sites.preChat.add')}
        </button>
        <span className="field-hint">{t('sites.preChat.keysHint')}</span>
      </div>
    </div>
  );
}


