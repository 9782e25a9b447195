import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { LIMITS } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useChatActions } from '../../net/actions.js';
import { Icon } from '../common/Icon.js';
import { useMediaQuery } from '../../hooks/useMediaQuery.js';
import { useAutosize } from './useAutosize.js';

/** Drafts survive switching conversations (not reloads). */
const drafts = new Map<string, string>();
/** After this long without a keystroke, "typing" stops. */
const TYPING_IDLE_MS = 4000;

export interface ComposerHandle {
  focus(): void;
}

interface ComposerProps {
  conversationId: string;
  /** Who the message goes to, for the placeholder. */
  recipient: string;
  /** ArrowUp in an empty composer edits the last own message. */
  onEditLast: () => boolean;
}

/** The message box: Enter sends, Shift+Enter adds a line; typing notifications go out while typing. */
export const Composer = forwardRef<ComposerHandle, ComposerProps>(function Composer({ conversationId, recipient, onEditLast }, handle) {
  const { t } = useI18n();
  const actions = useChatActions();
  const coarsePointer = useMediaQuery('(pointer: coarse)');
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const typingRef = useRef(false);
  const idleTimer = useRef(0);
  useAutosize(areaRef, text);

  useImperativeHandle(handle, () => ({ focus: () => areaRef.current?.focus() }), []);

  const stopTyping = (): void => {
    window.clearTimeout(idleTimer.current);
    if (!typingRef.current) return;
    typingRef.current = false;
    actions.typing(conversationId, 'stop');
  };
  const stopTypingRef = useRef(stopTyping);
  stopTypingRef.current = stopTyping;

  // Leaving the conversation (or the page) ends "typing" there.
  useEffect(() => () => stopTypingRef.current(), []);

  const change = (value: string): void => {
    setText(value);
    if (value === '') drafts.delete(conversationId);
    else drafts.set(conversationId, value);
    if (value.trim() === '') {
      stopTyping();
      return;
    }
    // The SDK throttles "start" (at most one per 3 s), so it is fine to call on each keystroke.
    typingRef.current = true;
    actions.typing(conversationId, 'start');
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(() => stopTypingRef.current(), TYPING_IDLE_MS);
  };

  const over = text.length - LIMITS.maxMessageChars;
  const canSend = text.trim() !== '' && over <= 0;

  const send = (): void => {
    if (!canSend) return;
    actions.send(conversationId, text);
    stopTyping();
    setText('');
    drafts.delete(conversationId);
    areaRef.current?.focus();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div className={`composer-box${over > 0 ? ' is-over' : ''}`}>
        <textarea
          ref={areaRef}
          className="composer-input"
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder', { name: recipient })}
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
              send();
            } else if (event.key === 'ArrowUp' && text === '' && onEditLast()) {
              event.preventDefault();
            }
          }}
        />
        <button type="submit" className="composer-send" disabled={!canSend} aria-label={t('composer.send')} title={t('composer.send')}>
          <Icon name="send" />
        </button>
      </div>
      <div className="composer-hint" aria-live="polite">
        {over > 0 ? <span className="form-error">{t('composer.tooLong', { count: over })}</span> : <span>{t('composer.hint')}</span>}
      </div>
    </form>
  );
});
