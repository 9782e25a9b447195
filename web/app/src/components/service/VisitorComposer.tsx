import { forwardRef, useImperativeHandle, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useServiceActions } from '../../net/agentDesk.js';
import { Icon } from '../common/Icon.js';
import { ComposerForm } from '../chat/ComposerForm.js';
import { useComposerDraft } from '../chat/useComposerDraft.js';

/** Drafts per chat and mode survive switching panes (not reloads). */
const drafts = new Map<string, string>();

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
  const [mode, setMode] = useState<Mode>('reply');
  const note = mode === 'note';
  // A note is private: the visitor must not see "typing…" for it.
  const draft = useComposerDraft({ drafts, draftKey: `${chatId}:${mode}`, onTyping: (state) => desk.typing(chatId, state), announceTyping: !note });

  useImperativeHandle(handle, () => ({ focus: () => draft.areaRef.current?.focus() }), [draft.areaRef]);

  const switchMode = (next: Mode): void => {
    if (next === mode) return;
    draft.stopTyping();
    setMode(next);
    draft.setText(drafts.get(`${chatId}:${next}`) ?? '');
    draft.areaRef.current?.focus();
  };

  const send = (): void => {
    if (!draft.canSend) return;
    draft.stopTyping();
    desk.send(chatId, draft.text, note);
    draft.clear();
  };

  return (
    <ComposerForm
      className={`composer visitor-composer${note ? ' is-note' : ''}`}
      data-testid="visitor-composer"
      data-mode={mode}
      draft={draft}
      label={note ? t('visitor.composer.noteLabel') : t('visitor.composer.label')}
      placeholder={note ? t('visitor.composer.notePlaceholder') : t('visitor.composer.placeholder', { name: visitorName })}
      sendLabel={note ? t('visitor.composer.addNote') : t('composer.send')}
      sendIcon={note ? 'note' : 'send'}
      hintDescribes
      onSend={send}
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
    </ComposerForm>
  );
});
