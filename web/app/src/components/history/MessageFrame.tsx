import type { LiHTMLAttributes, ReactNode } from 'react';
import { dayKey } from '../../i18n/format.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';
import { Icon } from '../common/Icon.js';

/** Consecutive messages from one sender within this time share one header. */
export const GROUP_GAP_MS = 5 * 60 * 1000;

/** A message opens a new day (and gets a separator) when nothing came before it that day. */
export function startsNewDay(prev: { createdAt: number } | undefined, createdAt: number): boolean {
  return !prev || dayKey(prev.createdAt) !== dayKey(createdAt);
}

export function DaySeparator({ at }: { at: number }) {
  const { format } = useI18n();
  const label = format.day(at);
  return (
    <li className="day-separator" role="separator" aria-label={label}>
      <span>{label}</span>
    </li>
  );
}

export function MessageTime({ at }: { at: number }) {
  const { format } = useI18n();
  return (
    <time dateTime={new Date(at).toISOString()} title={format.full(at)}>
      {format.time(at)}
    </time>
  );
}

/**
 * How a row introduces its sender: `full` with avatar and name, `continued` (a run from the same
 * sender) with the time on hover and the name for screen readers only, `none` not at all.
 */
export type FrameHeader = 'full' | 'continued' | 'none';

interface MessageFrameProps extends Omit<LiHTMLAttributes<HTMLLIElement>, 'children'> {
  header: FrameHeader;
  avatar: { id: string; name: string };
  sender: string;
  /** Beside the sender's name, e.g. "Visitor". */
  tag?: ReactNode;
  time: ReactNode;
  /** Inside the row after the main column (the actions menu). */
  trailing?: ReactNode;
  children: ReactNode;
}

/** The layout of one message row: gutter (avatar), then sender line and body. */
export function MessageFrame({ header, avatar, sender, tag, time, trailing, children, ...row }: MessageFrameProps) {
  return (
    <li {...row}>
      <div className="message-gutter">
        {header === 'full' ? <Avatar id={avatar.id} name={avatar.name} /> : null}
        {header === 'continued' ? <span className="message-hover-time">{time}</span> : null}
      </div>
      <div className="message-main">
        {header === 'full' ? (
          <div className="message-meta">
            <span className="message-sender">{sender}</span>
            {tag}
            <span className="message-time">{time}</span>
          </div>
        ) : null}
        {header === 'continued' ? <span className="visually-hidden">{sender}</span> : null}
        {children}
      </div>
      {trailing}
    </li>
  );
}

/** An internal note's frame: only agents see it. */
export function NoteBox({ labelTestId, children }: { labelTestId?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="note-box">
      <p className="note-label" data-testid={labelTestId}>
        <Icon name="note" size={14} />
        {t('visitor.noteLabel')}
      </p>
      {children}
    </div>
  );
}

interface OutgoingStatusProps {
  status: 'sending' | 'failed';
  /** Why it failed, for the tooltip. */
  error: string | null;
  onRetry: () => void;
  onDiscard: () => void;
}

/** Under an own message the server has not acknowledged: "Sending…", or "Not sent" with Retry / Discard. */
export function OutgoingStatus({ status, error, onRetry, onDiscard }: OutgoingStatusProps) {
  const { t } = useI18n();
  if (status === 'failed') {
    return (
      <div className="message-status message-status-failed" role="alert" title={error ?? undefined}>
        <span>{t('chat.failed')}</span>
        <button type="button" className="link-button" onClick={onRetry}>
          {t('chat.retrySend')}
        </button>
        <button type="button" className="link-button" onClick={onDiscard}>
          {t('chat.discard')}
        </button>
      </div>
    );
  }
  return (
    <div className="message-status" data-testid="sending">
      {t('chat.sending')}
    </div>
  );
}
