import { createApi } from '@switchboard/client';
import type { ApiPort } from './ports.js';

/** The app's HTTP calls over the SDK (same origin: the browser sends the session cookie). */
export function createAppApi(baseUrl = ''): ApiPort {
  const api = createApi({ baseUrl });
  return {
    login: (username, password) => api.login({ username, password }),
    logout: () => api.logout(),
    me: () => api.me(),
    directory: () => api.directory(),
    createConversation: (request) => api.createConversation(request),
    getConversation: (conversationId) => api.getConversation(conversationId),
    renameConversation: (conversationId, title) => api.renameConversation(conversationId, title),
    addMembers: (conversationId, userIds) => api.addMembers(conversationId, [...userIds]),
    removeMember: (conversationId, userId) => api.removeMember(conversationId, userId),
    history: (conversationId, page) => api.history(conversationId, page),
  };
}
