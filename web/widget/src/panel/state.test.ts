import { describe, expect, it } from 'vitest';
import type { ChatMessage, ServerFrameOf } from '../shared/protocol.js';
import { CONFIG, chat, message } from '../test/fixtures.js';
import { translator } from './i18n.js';
import { Outbox } from './outbox.js';
import { ChatModel } from './state.js';

const t = translator('en');
const welcome = (over: Partial<ServerFrameOf<'v.welcome'>> = {}): ServerFrameOf<'v.welcome'> => ({
  type: 'v.welcome',
  protocol: 1,
  token: 'T'.repeat(40),
  config: CONFIG,
  chat: null,
  messages: [],
  ...over,
});
const ids = () => {
  let n = 0;
  return new Outbox(
    () => `client-${++n}`,
    () => n,
  );
};

describe('ChatModel', () => {
  it('chooses the phase from config and chat', () => {
    const model = new ChatModel();
    expect(model.phase).toBe('connecting');
    model.preload({ ...CONFIG, online: false });
    expect(model.phase).toBe('offline');
    model.welcome(welcome());
    expect(model.phase).toBe('intro');
    model.welcome(welcome({ chat: chat(), messages: [message(1)] }));
    expect(model.phase).toBe('chat');
    expect(model.chatOpen).toBe(true);
    model.welcome(welcome({ chat: chat({ status: 'closed', closed: true }) }));
    expect(model.phase).toBe('closed');
  });

  it('shows the server’s system lines in seq order and ends the chat on v.chat closed', () => {
    const model = new ChatModel();
    model.welcome(welcome({ chat: chat(), messages: [message(1, { author: 'visitor', authorName: null, body: 'hi' })] }));
    model.chatChanged(chat({ status: 'assigned', queuePosition: null, agentName: 'Alice' }));
    model.message(message(3, { body: 'Hello, I am Alice' }));
    model.message(message(2, { author: 'system', authorName: null, body: 'Alice joined the chat.' }));
    model.chatChanged(chat({ status: 'closed', closed: true, agentName: 'Alice', queuePosition: null }));
    model.message(message(4, { author: 'system', authorName: null, body: 'Alice ended the chat.' }));
    expect(model.timeline(t).map((item) => [item.author, item.text, item.name])).toEqual([
      ['visitor', 'hi', null],
      ['system', 'Alice joined the chat.', null],
      ['agent', 'Hello, I am Alice', 'Alice'],
      ['system', 'Alice ended the chat.', null],
    ]);
    expect(model.phase).toBe('closed');
    expect(model.chatOpen).toBe(false);
  });

  it('renders system lines from their event in the visitor’s language; without a known event, the body', () => {
    const model = new ChatModel();
    const system = (seq: number, body: string, event?: ChatMessage['event']) => message(seq, { author: 'system', authorName: null, body, ...(event === undefined ? {} : { event }) });
    model.welcome(welcome({ chat: chat(), messages: [] }));
    model.message(system(1, 'Alice joined the chat.', { code: 'agent_joined', params: { agent: 'Alice <b>' } }));
    model.message(system(2, 'Transferred to Billing.', { code: 'transferred_department', params: { department: 'Billing' } }));
    model.message(system(3, 'An old line without an event.'));
    model.message(system(4, 'An agent joined the chat.', { code: 'agent_joined', params: {} }));
    model.message(system(5, 'Something new.', { code: 'from_a_newer_server' as NonNullable<ChatMessage['event']>['code'], params: {} }));
    model.message(system(6, 'The visitor ended the chat.', null));
    model.message(system(7, 'The visitor ended the chat.', { code: 'chat_closed_by_visitor', params: {} }));
    const texts = (lang: 'en' | 'zh-CN') => model.timeline(translator(lang)).map((item) => item.text);
    expect(texts('zh-CN')).toEqual([
      'Alice <b> 已加入对话。',
      '已为您转接至 Billing。',
      'An old line without an event.',
      '客服 已加入对话。',
      'Something new.',
      'The visitor ended the chat.',
      '您已结束对话。',
    ]);
    // English reads exactly like the server's body.
    expect(texts('en')).toEqual(['Alice <b> joined the chat.', 'Transferred to Billing.', 'An old line without an event.', 'Agent joined the chat.', 'Something new.', 'The visitor ended the chat.', 'The visitor ended the chat.']);
  });

  it('a new chat replaces the old transcript', () => {
    const model = new ChatModel();
    model.welcome(welcome({ chat: chat({ status: 'closed', closed: true }), messages: [message(1)] }));
    model.reset();
    model.chatChanged(chat({ id: 'new-chat' }));
    model.message(message(1, { id: 'n1', chatId: 'new-chat', body: 'fresh' }));
    expect(model.timeline(t).map((item) => item.text)).toEqual(['fresh']);
  });

  it('never shows internal notes and drops other chats’ messages', () => {
    const model = new ChatModel();
    model.welcome(welcome({ chat: chat(), messages: [message(1), message(2, { author: 'note', body: 'secret' })] }));
    model.message(message(3, { author: 'note', body: 'secret too' }));
    model.message(message(4, { chatId: 'other-chat' }));
    expect(model.timeline(t).map((item) => item.text)).toEqual(['message 1']);
  });

  it('shows pending messages after the sent ones and turns them into sent ones on ack, in place', () => {
    const model = new ChatModel(ids());
    model.welcome(welcome({ chat: chat({ status: 'assigned', agentName: 'Alice' }), messages: [message(1)] }));
    const entry = model.outbox.add('are you there?');
    let timeline = model.timeline(t);
    expect(timeline.at(-1)).toMatchObject({ author: 'visitor', status: 'sending', key: `c:${entry.clientId}` });
    model.ack({ type: 'v.ack', clientId: entry.clientId, messageId: 'm-2', seq: 2 });
    timeline = model.timeline(t);
    expect(timeline.at(-1)).toMatchObject({ author: 'visitor', status: 'sent', seq: 2, key: `c:${entry.clientId}`, text: 'are you there?' });
    // The echo of our own message does not duplicate it.
    model.message(message(2, { id: 'm-2', author: 'visitor', authorName: null, clientId: entry.clientId, body: 'are you there?' }));
    expect(model.timeline(t).filter((item) => item.author === 'visitor')).toHaveLength(1);
  });

  it('reconciles the outbox with the server’s messages after a reconnect', () => {
    const model = new ChatModel(ids());
    model.welcome(welcome({ chat: chat({ status: 'assigned', agentName: 'Alice' }), messages: [message(1)] }));
    const delivered = model.outbox.add('delivered, ack lost');
    const lost = model.outbox.add('lost');
    model.welcome(
      welcome({
        chat: chat({ status: 'assigned', agentName: 'Alice' }),
        messages: [message(1), message(2, { author: 'visitor', clientId: delivered.clientId, body: 'delivered, ack lost' })],
      }),
    );
    expect(model.outbox.list().map((entry) => entry.clientId)).toEqual([lost.clientId]);
    expect(model.timeline(t).map((item) => [item.text, item.status])).toEqual([
      ['message 1', 'sent'],
      ['delivered, ack lost', 'sent'],
      ['lost', 'sending'],
    ]);
  });

  it('asks to resend v.start when a chat was starting and the server has none', () => {
    const model = new ChatModel();
    model.welcome(welcome());
    model.starting = true;
    expect(model.welcome(welcome()).restart).toBe(true);
    expect(model.phase).toBe('chat');
    expect(model.welcome(welcome({ chat: chat() })).restart).toBe(false);
    expect(model.starting).toBe(false);
  });

  it('fails pending messages when the chat closes, and starts over on reset', () => {
    const model = new ChatModel();
    model.welcome(welcome({ chat: chat() }));
    model.outbox.add('too late');
    model.chatChanged(chat({ status: 'closed', closed: true }));
    expect(model.timeline(t).at(-1)?.status).toBe('failed');
    model.reset();
    expect(model.phase).toBe('intro');
    expect(model.timeline(t)).toEqual([]);
  });

  it('counts unread agent messages after the read mark', () => {
    const model = new ChatModel();
    model.welcome(welcome({ chat: chat(), messages: [message(1), message(2, { author: 'visitor' }), message(3), message(4, { author: 'system' })] }));
    expect(model.unreadAfter(0)).toBe(2);
    expect(model.unreadAfter(1)).toBe(1);
    expect(model.unreadAfter(3)).toBe(0);
    expect(model.lastSeq).toBe(4);
    expect(model.message(message(5))).toBe(true);
    expect(model.message(message(5))).toBe(false);
  });
});
