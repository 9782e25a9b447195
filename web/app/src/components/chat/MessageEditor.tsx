import { useEffect, useRef, useState } from 'react';
import { LIMITS, type Message } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { useChatActions } from '../../net/actions.js';
import { FormError } from '../common/FormError.js';
import { useChatUi } from './chatUi.js';
import { useAutosize } from './useAutosize.js';

/** Inline editing of an own message: Enter saves, Shift+Enter adds a line, Escape cancels. */
export function MessageEditor({ message }: { message: Message }) {
  const { t } = useI18n();
  const actions = useChatActions();
  const ui = useChatUi();
  const [text, setText] = useState(message.body);
  const { busy, error, run } = useAsyncAction();
  const ref = useRef<HTMLTextAreaElement>(null);
  useAutosize(ref, text);

  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);

  const cancel = (): void => {
    ui.endEdit();
    ui.focusComposer();
  };

  const save = async (): Promise<void> => {
    const body = text.trim();
    if (body === '' || body === message.body.trim()) {
      cancel();
      return;
    }
    await run(() => actions.edit(message.conversationId, message.id, body), cancel);
  };

  return (
    <div className="message-editor">
      <textarea
        ref={ref}
        className="input message-editor-input"
        aria-label={t('message.editLabel')}
        value={text}
        maxLength={LIMITS.maxMessageChars}
        rows={1}
        disabled={busy}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.nativeEvent.isComposing) return;
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            cancel();
          } else if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div className="message-editor-bar">
        <span className="muted">{t('message.editHint')}</span>
        <button type="button" className="button button-small" onClick={cancel}>
          {t('message.cancel')}
        </button>
        <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => void save()}>
          {t('message.save')}
        </button>
      </div>
      <FormError message={error} />
    </div>
  );
}
