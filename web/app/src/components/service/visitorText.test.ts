import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatSummary } from '@switchboard/protocol';
import { en } from '../../i18n/en.js';
import { makeTranslate } from '../../i18n/translate.js';
import { zhCN } from '../../i18n/zh-CN.js';
import { messageText, visitorPreview } from './visitorText.js';

const CHAT = '00000000-0000-4000-8000-0000000000c1';
const enT = makeTranslate(en);
const zhT = makeTranslate(zhCN);

function system(seq: number, body: string, event?: ChatMessage['event']): ChatMessage {
  return { id: `id-${seq}`, chatId: CHAT, seq, author: 'system', agentId: null, authorName: null, clientId: null, body, ...(event === undefined ? {} : { event }), createdAt: 1000 + seq };
}

function summary(lastMessage: ChatMessage): ChatSummary {
  return {
    id: CHAT,
    siteId: '00000000-0000-4000-8000-0000000000a1',
    departmentId: null,
    status: 'assigned',
    visitor: { id: '5c22aaaa-0000-4000-8000-000000000000', name: 'Vera', email: null, page: null, userAgent: null, language: null, fields: {}, online: true },
    agentIds: [],
    assigneeId: null,
    lastSeq: lastMessage.seq,
    lastMessage,
    createdAt: 1000,
    assignedAt: 1001,
    closedAt: null,
    closedBy: null,
  };
}

describe('visitor chat system lines', () => {
  const joined = system(1, 'Alice joined the chat.', { code: 'agent_joined', params: { agent: 'Alice' } });
  const invited = system(2, 'Alice invited Bob.', { code: 'agent_invited', params: { agent: 'Alice', colleague: 'Bob' } });
  const left = system(3, 'The visitor left the page.', { code: 'visitor_left', params: {} });

  it('are shown from their event in the agent’s language; English reads like the stored body', () => {
    expect([joined, invited, left].map((message) => messageText(message, zhT))).toEqual(['Alice 已加入对话。', 'Alice 邀请了 Bob。', '访客已离开页面。']);
    for (const message of [joined, invited, left]) expect(messageText(message, enT)).toBe(message.body);
    expect(messageText(system(4, 'An agent joined the chat.', { code: 'agent_joined', params: {} }), zhT)).toBe('客服 已加入对话。');
  });

  it('fall back to the body without an event or with a code this client does not know', () => {
    expect(messageText(system(5, 'An old line.'), zhT)).toBe('An old line.');
    expect(messageText(system(6, 'An old line.', null), zhT)).toBe('An old line.');
    const future = system(7, 'Something new.', { code: 'from_a_newer_server' as NonNullable<ChatMessage['event']>['code'], params: {} });
    expect(messageText(future, zhT)).toBe('Something new.');
  });

  it('are localized in the sidebar preview too', () => {
    expect(visitorPreview(summary(joined), undefined, new Map(), undefined, zhT)).toBe('Alice 已加入对话。');
    expect(visitorPreview(summary(joined), undefined, new Map(), undefined, enT)).toBe('Alice joined the chat.');
  });
});
