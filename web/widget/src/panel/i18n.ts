import { format, type Lang } from '../shared/lang.js';
import type { ChatMessage } from '../shared/protocol.js';

/*
 * The chat panel's strings. English is the reference dictionary: its keys are the type every
 * other language must match exactly, so a missing or extra key fails the typecheck.
 * Placeholders are `{name}`; results are always rendered as text.
 */
const en = {
  'dialog.online': 'Online',
  'dialog.offline': 'Offline',
  'dialog.onlineHint': 'We typically reply in a few minutes',
  'dialog.offlineHint': 'We will reply by email',
  'dialog.minimize': 'Minimize chat',
  'dialog.end': 'End chat',
  'dialog.poweredBy': 'Powered by Switchboard',

  'end.question': 'End this chat?',
  'end.confirm': 'Yes, end chat',
  'end.cancel': 'Keep chatting',

  'conn.connecting': 'Connecting…',
  'conn.reconnecting': 'Connection lost. Reconnecting…',
  'conn.unreachable': 'We cannot reach the chat right now. We will keep trying…',
  'dialog.fallbackTitle': 'Customer support',

  'prechat.intro': 'Tell us a little about yourself and we will connect you with our team.',
  'prechat.department': 'Department',
  'prechat.anyDepartment': 'Any department',
  'prechat.submit': 'Start chat',
  'prechat.optional': '(optional)',

  'form.required': 'Please fill in this field.',
  'form.email': 'Please enter a valid email address.',
  'form.tooLong': 'Please keep this under {max} characters.',
  'form.sending': 'Sending…',

  'composer.label': 'Your message',
  'composer.placeholder': 'Type your message…',
  'composer.send': 'Send',

  'chat.log': 'Conversation',
  'chat.queue': 'You are number {n} in the queue.',
  'chat.queueHint': 'An agent will be with you shortly.',
  'chat.waiting': 'Waiting for an agent to join…',
  'chat.with': 'You are chatting with {name}',
  'chat.ended': 'The chat was ended',
  'chat.newChat': 'Start a new chat',
  'chat.typing': '{name} is typing…',
  'chat.agent': 'Agent',
  'chat.you': 'You',
  'chat.sending': 'Sending…',
  'chat.failed': 'Not delivered',

  'offline.title': 'We are away right now',
  'offline.intro': 'Leave us a message and we will get back to you by email.',
  'offline.name': 'Name',
  'offline.email': 'Email',
  'offline.message': 'Message',
  'offline.submit': 'Send message',
  'offline.thanksTitle': 'Thank you!',
  'offline.thanks': 'We have received your message and will reply to {email} as soon as we can.',
  'offline.again': 'Send another message',

  // System lines (ChatMessage.event). English matches the server's body word for word.
  'event.agent_joined': '{agent} joined the chat.',
  'event.agent_unavailable': '{agent} is no longer available. Connecting you to another agent…',
  'event.agent_left': '{agent} left the chat.',
  'event.agent_left_off_duty': '{agent} left the chat (off duty).',
  'event.agent_invited': '{agent} invited {colleague}.',
  'event.help_requested': '{agent} asked {colleague} for help.',
  'event.transferred_agent': 'Transferred to {agent}.',
  'event.transferred_department': 'Transferred to {department}.',
  'event.chat_closed_by_visitor': 'The visitor ended the chat.',
  'event.chat_closed_by_agent': '{agent} ended the chat.',
  'event.chat_closed_abandoned': 'The chat was closed: the visitor left.',
  'event.chat_closed_missed': 'The visitor left before an agent was free.',
  'event.visitor_left': 'The visitor left the page.',
  'event.visitor_returned': 'The visitor is back.',

  'error.generic': 'Something went wrong. Please try again.',
  'error.rateLimited': 'You are sending messages too quickly. Please wait a moment.',
  'error.forbidden': 'Chat is not available on this website.',
  'error.version': 'This chat is out of date. Please reload the page.',
  'error.notFound': 'This chat could not be found.',
  'error.unavailable': 'Chat is temporarily unavailable. Please try again soon.',
  'error.notConnected': 'Not connected yet. Please try again in a moment.',
};

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const zhCN: Messages = {
  'dialog.online': '在线',
  'dialog.offline': '离线',
  'dialog.onlineHint': '通常几分钟内回复',
  'dialog.offlineHint': '我们会通过邮件回复您',
  'dialog.minimize': '最小化聊天窗口',
  'dialog.end': '结束对话',
  'dialog.poweredBy': '由 Switchboard 提供支持',

  'end.question': '确定结束本次对话吗？',
  'end.confirm': '确定结束',
  'end.cancel': '继续聊天',

  'conn.connecting': '正在连接…',
  'conn.reconnecting': '连接已断开，正在重新连接…',
  'conn.unreachable': '暂时无法连接客服系统，正在重试…',
  'dialog.fallbackTitle': '在线客服',

  'prechat.intro': '请简单介绍一下您自己，我们将为您接通客服。',
  'prechat.department': '咨询部门',
  'prechat.anyDepartment': '任意部门',
  'prechat.submit': '开始对话',
  'prechat.optional': '（选填）',

  'form.required': '请填写此项。',
  'form.email': '请输入有效的电子邮箱地址。',
  'form.tooLong': '请不要超过 {max} 个字符。',
  'form.sending': '正在发送…',

  'composer.label': '您的消息',
  'composer.placeholder': '请输入消息…',
  'composer.send': '发送',

  'chat.log': '对话记录',
  'chat.queue': '您当前排在第 {n} 位。',
  'chat.queueHint': '客服马上就来，请稍候。',
  'chat.waiting': '正在等待客服接入…',
  'chat.with': '{name} 正在为您服务',
  'chat.ended': '对话已结束',
  'chat.newChat': '开始新的对话',
  'chat.typing': '{name} 正在输入…',
  'chat.agent': '客服',
  'chat.you': '您',
  'chat.sending': '发送中…',
  'chat.failed': '发送失败',

  'offline.title': '我们暂时不在线',
  'offline.intro': '请给我们留言，我们会尽快通过邮件回复您。',
  'offline.name': '姓名',
  'offline.email': '电子邮箱',
  'offline.message': '留言内容',
  'offline.submit': '提交留言',
  'offline.thanksTitle': '感谢您的留言！',
  'offline.thanks': '我们已收到您的留言，会尽快回复至 {email}。',
  'offline.again': '再留一条言',

  'event.agent_joined': '{agent} 已加入对话。',
  'event.agent_unavailable': '{agent} 暂时无法继续服务，正在为您转接其他客服…',
  'event.agent_left': '{agent} 已离开对话。',
  'event.agent_left_off_duty': '{agent} 已下线，离开了对话。',
  'event.agent_invited': '{agent} 邀请了 {colleague}。',
  'event.help_requested': '{agent} 向 {colleague} 请求了协助。',
  'event.transferred_agent': '已为您转接给 {agent}。',
  'event.transferred_department': '已为您转接至 {department}。',
  'event.chat_closed_by_visitor': '您已结束对话。',
  'event.chat_closed_by_agent': '{agent} 已结束对话。',
  'event.chat_closed_abandoned': '您已离开，对话已关闭。',
  'event.chat_closed_missed': '您在客服接入前离开了。',
  'event.visitor_left': '您已离开页面。',
  'event.visitor_returned': '您已回来。',

  'error.generic': '出了点问题，请重试。',
  'error.rateLimited': '发送过于频繁，请稍后再试。',
  'error.forbidden': '此网站未开通在线客服。',
  'error.version': '聊天组件版本过旧，请刷新页面。',
  'error.notFound': '找不到该对话。',
  'error.unavailable': '客服系统暂时不可用，请稍后再试。',
  'error.notConnected': '尚未连接，请稍后再试。',
};

export const PANEL_MESSAGES: Record<Lang, Messages> = { en, 'zh-CN': zhCN };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const messages = PANEL_MESSAGES[lang];
  return (key, values) => (values ? format(messages[key], values) : messages[key]);
}

/**
 * A system line in the visitor's language: from its event (code and params, the params plain
 * names), else — a line from before events, or a code this widget does not know — its English body.
 */
export function systemText(message: ChatMessage, t: Translate): string {
  const event = message.event;
  if (!event) return message.body;
  const key = `event.${event.code}` as const;
  if (!(key in en)) return message.body;
  return t(key, { agent: t('chat.agent'), ...event.params });
}
