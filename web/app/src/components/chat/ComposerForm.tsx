import { useId, type FormHTMLAttributes, type ReactNode } from 'react';
import { useMediaQuery } from '../../hooks/useMediaQuery.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon, type IconName } from '../common/Icon.js';
import type { useComposerDraft } from './useComposerDraft.js';

interface ComposerFormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'children'> {
  draft: ReturnType<typeof useComposerDraft>;
  label: string;
  placeholder: string;
  sendLabel: string;
  sendIcon: IconName;
  /** The hint under the box is the textarea's description. */
  hintDescribes?: boolean;
  onSend: () => void;
  /** ArrowUp in the empty box; true when it did something. */
  onArrowUpEmpty?: () => boolean;
  /** Above the box (mode switches). */
  children?: ReactNode;
}

/** A message box: Enter sends, Shift+Enter adds a line; the hint below warns when the text is too long. */
export function ComposerForm({ draft, label, placeholder, sendLabel, sendIcon, hintDescribes = false, onSend, onArrowUpEmpty, children, ...form }: ComposerFormProps) {
  const { t } = useI18n();
  const coarsePointer = useMediaQuery('(pointer: coarse)');
  const hintId = useId();
  const { text, areaRef, change, stopTyping, over, canSend } = draft;
  return (
    <form
      {...form}
      onSubmit={(event) => {
        event.preventDefault();
        onSend();
      }}
    >
      {children}
      <div className={`composer-box${over > 0 ? ' is-over' : ''}`}>
        <textarea
          ref={areaRef}
          className="composer-input"
          aria-label={label}
          aria-describedby={hintDescribes ? hintId : undefined}
          placeholder={placeholder}
          value={text}
          rows={1}
          // On touch screens focusing would pop the keyboard up over the history; wait for a tap.
          autoFocus={!coarsePointer}
          enterKeyHint="send"
          onChange={(event) => change(event.target.value)}
          onBlur={stopTyping}
          onKeyDown={(event) => {
            // Never send in the middle of an IME composition (Chinese, Japanese input).
            if (event.nativeEvent.isComposing || event.keyCode === 229) return;
            if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
              event.preventDefault();
              onSend();
            } else if (event.key === 'ArrowUp' && text === '' && onArrowUpEmpty?.()) {
              event.preventDefault();
            }
          }}
        />
        <button type="submit" className="composer-send" disabled={!canSend} aria-label={sendLabel} title={sendLabel}>
          <Icon name={sendIcon} />
        </button>
      </div>
      <div className="composer-hint" id={hintDescribes ? hintId : undefined} aria-live="polite">
        {over > 0 ? <span className="form-error">{t('composer.tooLong', { count: over })}</span> : <span>{t('composer.hint')}</span>}
      </div>
    </form>
  );
}
