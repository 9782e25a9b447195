import { h } from '../shared/dom.js';
import type { Translate } from './i18n.js';
import type { TimelineItem } from './state.js';
import { splitLinks } from './text.js';

/*
 * One message of the conversation as DOM. Every piece of message data goes in as text
 * (text nodes, textContent); links are <a> elements whose href passed splitLinks' http(s) check.
 */

export function renderBody(body: string): HTMLDivElement {
  const bubble = h('div', { class: 'bubble', 'data-testid': 'sb-message-body' });
  for (const piece of splitLinks(body)) {
    bubble.appendChild(
      piece.href ? h('a', { href: piece.href, target: '_blank', rel: 'noopener noreferrer nofollow', text: piece.text }) : document.createTextNode(piece.text),
    );
  }
  return bubble;
}

export function formatTime(time: number, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(time);
  } catch {
    return '';
  }
}

/** Whether an item continues the previous one's group (same author and agent): no repeated name. */
export function continues(previous: TimelineItem | undefined, item: TimelineItem): boolean {
  return previous !== undefined && previous.author === item.author && item.author !== 'system' && previous.name === item.name;
}

export function renderItem(item: TimelineItem, t: Translate, lang: string, grouped: boolean): HTMLLIElement {
  const li = h('li', {
    class: `msg msg-${item.author}${grouped ? ' cont' : ''}`,
    'data-testid': 'sb-message',
    'data-author': item.author,
    'data-status': item.status,
    'data-seq': item.seq ?? undefined,
    'data-client-id': item.clientId ?? undefined,
  });
  if (item.author === 'system') {
    li.appendChild(h('span', { class: 'sys', text: item.text }));
    return li;
  }
  if (item.author === 'agent' && !grouped) li.appendChild(h('span', { class: 'name', 'data-testid': 'sb-message-author', text: item.name ?? t('chat.agent') }));
  li.appendChild(renderBody(item.text));
  const meta = item.status === 'sending' ? t('chat.sending') : item.status === 'failed' ? t('chat.failed') : item.time ? formatTime(item.time, lang) : '';
  li.appendChild(h('span', { class: 'meta', text: meta }));
  return li;
}
