import type { Lang } from './lang.js';

/*
 * The few strings the loader (launcher button) needs. Kept apart from the panel's dictionary so
 * the loader stays tiny. English is the reference: every language must have exactly its keys.
 */
const en = {
  launcher: 'Chat with us',
  online: 'We are online',
  offline: 'Leave us a message',
  unread: '{n} unread',
};
export type LauncherMessages = Record<keyof typeof en, string>;

const zhCN: LauncherMessages = {
  launcher: '在线咨询',
  online: '客服在线',
  offline: '给我们留言',
  unread: '{n} 条未读消息',
};

export const LAUNCHER_MESSAGES: Record<Lang, LauncherMessages> = { en, 'zh-CN': zhCN };
