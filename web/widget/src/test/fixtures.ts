import type { ChatMessage, VisitorChatView, WidgetConfig } from '../shared/protocol.js';

export const CHAT_ID = '00000000-0000-4000-8000-000000000001';

export const CONFIG: WidgetConfig = {
  siteKey: 'demo',
  name: 'Acme Cloud',
  color: '#4f46e5',
  greeting: 'Hi! How can we help?',
  preChatEnabled: true,
  preChatFields: [
    { key: 'name', label: 'Name', kind: 'text', required: true },
    { key: 'email', label: 'Email', kind: 'email', required: false },
    { key: 'company', label: 'Company', kind: 'text', required: false },
    { key: 'question', label: 'Question', kind: 'textarea', required: true },
  ],
  departments: [
    { id: '00000000-0000-4000-8000-0000000000d1', name: 'Sales' },
    { id: '00000000-0000-4000-8000-0000000000d2', name: 'Support' },
  ],
  online: true,
};

export function message(seq: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    chatId: CHAT_ID,
    seq,
    author: 'agent',
    agentId: null,
    authorName: 'Alice',
    clientId: null,
    body: `message ${seq}`,
    createdAt: 1_700_000_000_000 + seq * 1000,
    ...over,
  };
}

export function chat(over: Partial<VisitorChatView> = {}): VisitorChatView {
  return { id: CHAT_ID, status: 'queued', queuePosition: 1, agentName: null, closed: false, ...over };
}
