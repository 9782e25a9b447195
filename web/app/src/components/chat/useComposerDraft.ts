import { useEffect, useRef, useState } from 'react';
import { LIMITS } from '@switchboard/protocol';
import { useAutosize } from './useAutosize.js';

/** After this long without a keystroke, "typing" stops. */
const TYPING_IDLE_MS = 4000;

interface ComposerDraftOptions {
  /** Drafts survive switching panes (not reloads); one map per kind of composer. */
  drafts: Map<string, string>;
  draftKey: string;
  /** Sends a typing notification; called only when `announceTyping` is true, stop always ends a started one. */
  onTyping: (state: 'start' | 'stop') => void;
  announceTyping: boolean;
}

/** The text of a message box: its draft, the typing notifications it sends, and whether it can be sent. */
export function useComposerDraft({ drafts, draftKey, onTyping, announceTyping }: ComposerDraftOptions) {
  const [text, setText] = useState(() => drafts.get(draftKey) ?? '');
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const typingRef = useRef(false);
  const idleTimer = useRef(0);
  useAutosize(areaRef, text);

  const stopTyping = (): void => {
    window.clearTimeout(idleTimer.current);
    if (!typingRef.current) return;
    typingRef.current = false;
    onTyping('stop');
  };
  const stopTypingRef = useRef(stopTyping);
  stopTypingRef.current = stopTyping;

  // Leaving the conversation (or the page) ends "typing" there.
  useEffect(() => () => stopTypingRef.current(), []);

  const change = (value: string): void => {
    setText(value);
    if (value === '') drafts.delete(draftKey);
    else drafts.set(draftKey, value);
    if (!announceTyping) return;
    if (value.trim() === '') {
      stopTyping();
      return;
    }
    // The SDK throttles "start" (at most one per 3 s), so it is fine to call on each keystroke.
    typingRef.current = true;
    onTyping('start');
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(() => stopTypingRef.current(), TYPING_IDLE_MS);
  };

  /** After sending: an empty box, no draft, focus back for the next message. */
  const clear = (): void => {
    setText('');
    drafts.delete(draftKey);
    areaRef.current?.focus();
  };

  const over = text.length - LIMITS.maxMessageChars;
  const canSend = text.trim() !== '' && over <= 0;
  return { text, setText, areaRef, change, clear, stopTyping, over, canSend };
}
