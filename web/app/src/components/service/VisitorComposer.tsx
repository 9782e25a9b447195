import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { LIMITS } from '@switchboard/protocol';
import { useMediaQuery } from '../../hooks/useMediaQuery.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { Icon } from '../common/Icon.js';
import { useAutosize } from '../chat/useAutosize.js';

/** Drafts per chat and mode survive switching panes (not reloads). */
const drafts = new Map<string, string>();
const TYPING_IDLE_MS = 4000;

export interface VisitorComposerHandle {
  focus(): void;
}

type Mode = 'reply' | 'note';

/**
 * Reply to the visitor (`visitor.send`) or write an internal note only agents see (`visitor.note`).
 * Enter sends, Shift+Enter adds a line. Typing notifications go to the visitor in reply mode only.
 */
export const VisitorComposer = forwardRef<VisitorComposerHandle, { chatId: string; visitorName: string }>(function VisitorComposer({ chatId, visitorName }, handle) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const coarsePointer = useMediaQuery('(pointer: coarse)');
  const [mode, setMode] = useState<Mode>('reply');
  const key = `${chatId}:${mode}`;
  const [text, setText] = useState(() => drafts.get(`${chatId}:reply`) ?? '');
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const idleTimer = useRef(0);
  const typingRef = useRef(false);
  const hintId = useId();
  useAutosize(areaRef, text);

  useImperativeHandle(handle, () => ({ focus: () => areaRef.current?.focus() }), []);

  const stopTyping = (): void => {
    window.clearTimeout(idleTimer.current);
    if (!typingRef.current) return;
    typingRef.current = false;
    desk.typing(chatId, 'stop');
  };
  const stopRef = useRef(stopTyping);
  stopRef.current = stopTyping;
  useEffect(() => () => stopRef.current(), []);

  const switchMode = (next: Mode): void => {
    if (next === mode) return;
    stopTyping();
    setMode(next);
    setText(drafts.get(`${chatId}:${next}`) ?? '');
    areaRef.current?.focus();
  };

  const change = (value: string): void => {
    setText(value);
    if (value === '') drafts.delete(key);
    else drafts.set(key, value);
    // A note is private: the visitor must not see "typing…" for it.
    if (mode === 'note') return;
    if (value.trim() === '') {
      stopTyping();
      return;
    }
    typingRef.current = true;
    desk.typing(chatId, 'start');
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(() => stopRef.current(), TYPING_IDLE_MS);
  };

  const over = text.length - LIMITS.maxMessageChars;
  const canSend = text.trim() !== '' && over <= 0;
  const send = (): void => {
    if (!canSend) return;
    stopTyping();
    desk.send(chatId, text, mode === 'note');
    setText('');
    drafts.delete(key);
    areaRef.current?.focus();
  };

  const note = mode === 'note';
  return (
    <form
      className={`composer visitor-composer${note ? ' is-note' : ''}`}
      data-testid="visitor-composer"
      data-mode={mode}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div className="composer-modes" role="group" aria-label={t('visitor.composer.mode')}>
        <button type="button" className={`composer-mode${note ? '' : ' is-active'}`} aria-pressed={!note} onClick={() => switchMode('reply')}>
          <Icon name="chat" size={14} />
          {t('visitor.composer.reply')}
        </button>
        <button type="button" className={`composer-mode composer-mode-note${note ? ' is-active' : ''}`} aria-pressed={note} onClick={() => switchMode('note')}>
          <Icon name="note" size={14} />
          {t('visitor.composer.note')}
        </button>
        {note ? <span className="composer-mode-hint">{t('visitor.composer.noteHint')}</span> : null}
      </div>
      <div className={`composer-box${over > 0 ? ' is-over' : ''}`}>
        <textarea
          ref={areaRef}
          className="composer-input"
          aria-label={note ? t('visitor.composer.noteLabel') : t('visitor.composer.label')}
          aria-describedby={hintId}
          placeholder={note ? t('visitor.composer.notePlaceholder') : t('visitor.composer.placeholder', { name: visitorName })}
          value={text}
          rows={1}
          autoFocus={!coarsePointer}
          enterKeyHint="send"
          onChange={(event) => change(event.target.value)}
          onBlur={stopTyping}
          onKeyDown={(event) => {
            if (event.nativeEvent.isComposing || event.keyCode === 229) return;
            if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button
          type="submit"
          className="composer-send"
          disabled={!canSend}
          aria-label={note ? t('visitor.composer.addNote') : t('composer.send')}
          title={note ? t('visitor.composer.addNote') : t('composer.send')}
        >
          <Icon name={note ? 'note' : 'send'} />
        </button>
      </div>
      <div className="composer-hint" id={hintId} aria-live="polite">
        {over > 0 ? <span className="form-error">{t('composer.tooLong', { count: over })}</span> : <span>{t('composer.hint')}</span>}
      </div>
    </form>
  );
});
