import type { KeyboardEvent, ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { HistoryPaging } from '../../state/types.js';
import { Icon } from '../common/Icon.js';
import type { StickyScroll } from './useStickyScroll.js';

interface HistoryPaneProps extends HistoryPaging {
  /** The log's accessible name. */
  label: string;
  /** Shown above the first message once there is nothing older. */
  beginningNote: string;
  /** The newest page failed and there is nothing to show instead: offer a retry. */
  loadFailed: boolean;
  loading: boolean;
  onRetryOlder: () => void;
  onRetryLoad: () => void;
  scroll: StickyScroll;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  /** The rows of the `<ol>`. */
  children: ReactNode;
}

/** The frame of a scrolling message history: the log, its paging notes and the "jump to latest" button. */
export function HistoryPane({ label, beginningNote, status, hasOlder, olderStatus, loadFailed, loading, onRetryOlder, onRetryLoad, scroll, onKeyDown, children }: HistoryPaneProps) {
  const { t } = useI18n();
  return (
    <div className="message-pane">
      <div className="message-scroller" ref={scroll.scrollerRef} onScroll={scroll.onScroll} onKeyDown={onKeyDown} role="log" aria-label={label} tabIndex={0}>
        <div className="message-history-top">
          {status === 'ready' && !hasOlder ? <p className="history-note">{beginningNote}</p> : null}
          {olderStatus === 'error' ? <RetryNote text={t('chat.loadOlderFailed')} onRetry={onRetryOlder} /> : null}
        </div>
        {loadFailed ? <RetryNote text={t('chat.loadFailed')} onRetry={onRetryLoad} /> : null}
        {loading ? <LoadingNote className="history-note" text={t('chat.loading')} /> : null}
        <ol className="message-list" ref={scroll.contentRef}>
          {children}
        </ol>
      </div>
      {/* Floats over the list instead of taking space in it, so loading does not move the messages. */}
      {olderStatus === 'loading' ? <LoadingNote className="loading-older" text={t('chat.loadingOlder')} /> : null}
      {scroll.showJump ? (
        <button type="button" className="jump-button" onClick={scroll.scrollToBottom} title={t('chat.jumpToLatest')}>
          <Icon name="down" size={16} />
          {t('chat.newMessages')}
        </button>
      ) : null}
    </div>
  );
}

function RetryNote({ text, onRetry }: { text: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <p className="history-note">
      {text}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        {t('chat.retry')}
      </button>
    </p>
  );
}

function LoadingNote({ className, text }: { className: string; text: string }) {
  return (
    <p className={className} role="status">
      <span className="spinner" aria-hidden="true" /> {text}
    </p>
  );
}
