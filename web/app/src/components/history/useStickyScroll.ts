import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Within this many px of the bottom, the list follows new messages. */
const STICK_PX = 80;

interface StickyScrollOptions {
  firstSeq: number | undefined;
  lastSeq: number | undefined;
  /** The newest message is the user's own: it scrolls into view even when they had scrolled up. */
  newestIsOwn: boolean;
  /** Own messages waiting for the server; one more brings the view down to it. */
  pendingCount: number;
  /** What is rendered; any change re-checks the position. */
  content: readonly unknown[];
  /** Older messages load when the top is this close. */
  loadOlderPx: number;
  loadOlder: () => void;
}

export interface StickyScroll {
  scrollerRef: RefObject<HTMLDivElement | null>;
  contentRef: RefObject<HTMLOListElement | null>;
  onScroll: () => void;
  /** New messages came in below while the user was scrolled up. */
  showJump: boolean;
  scrollToBottom: () => void;
}

/**
 * Scrolling of a message history: sticks to the bottom while the user is there, keeps the view put
 * when older pages go in above, and loads older pages near the top (or while the pane is not full).
 */
export function useStickyScroll({ firstSeq, lastSeq, newestIsOwn, pendingCount, content, loadOlderPx, loadOlder }: StickyScrollOptions): StickyScroll {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const stickRef = useRef(true);
  const fromBottomRef = useRef(0);
  const firstSeqRef = useRef<number | undefined>(undefined);
  const lastSeqRef = useRef<number | undefined>(undefined);
  const pendingCountRef = useRef(pendingCount);
  const [showJump, setShowJump] = useState(false);

  const scrollToBottom = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    fromBottomRef.current = 0;
    stickRef.current = true;
    setShowJump(false);
  }, []);

  // After each change of content: keep the view where the user left it.
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const prependedOlder = firstSeq !== undefined && firstSeqRef.current !== undefined && firstSeq < firstSeqRef.current;
    const grewAtBottom = lastSeq !== undefined && (lastSeqRef.current === undefined || lastSeq > lastSeqRef.current);
    const sentOwn = pendingCount > pendingCountRef.current;
    if (prependedOlder && !stickRef.current) {
      // Older messages went in above: keep the same distance from the bottom, so nothing moves.
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current;
    } else if (stickRef.current || sentOwn || (grewAtBottom && newestIsOwn)) {
      scrollToBottom();
    } else if (grewAtBottom && lastSeqRef.current !== undefined) {
      setShowJump(true);
    }
    firstSeqRef.current = firstSeq;
    lastSeqRef.current = lastSeq;
    pendingCountRef.current = pendingCount;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    // A short history that does not fill the pane: fetch more until it does (or there is no more).
    if (el.scrollHeight <= el.clientHeight + loadOlderPx) loadOlder();
    // `content` has the same length on every render of one list, so spreading it keeps the deps stable.
  }, [...content, firstSeq, lastSeq, newestIsOwn, pendingCount, loadOlderPx, scrollToBottom, loadOlder]);

  // Content that changes height by itself (an edit, a wrapped line after a resize) keeps the bottom in view.
  useEffect(() => {
    const el = scrollerRef.current;
    const list = contentRef.current;
    if (!el || !list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickRef.current) el.scrollTop = el.scrollHeight;
      else el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current;
    });
    observer.observe(list);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = (): void => {
    const el = scrollerRef.current;
    if (!el) return;
    fromBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight;
    stickRef.current = fromBottomRef.current <= STICK_PX;
    if (stickRef.current) setShowJump(false);
    if (el.scrollTop < loadOlderPx) loadOlder();
  };

  return { scrollerRef, contentRef, onScroll, showJump, scrollToBottom };
}
