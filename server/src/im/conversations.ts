import { randomUUID } from 'node:crypto';
import type { Conversation, HistoryResponse, Message } from '@switchboard/protocol';
import { LIMITS } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import { errors } from '../errors.js';
import type { ImRepositories } from '../store/index.js';
import type { MemberCache } from './memberCache.js';

/**
 * Direct and group conversations: who is in them and what they are called. Every change is
 * announced to the members it concerns. A non-member gets `not_found` for a conversation whether
 * or not it exists, so ids reveal nothing.
 */
export class ConversationService {
  constructor(
    private readonly repos: ImRepositories,
    private readonly bus: Bus,
    private readonly memberCache: MemberCache,
  ) {}

  list(userId: string): Promise<Conversation[]> {
    return this.repos.conversations.summaries(userId);
  }

  async get(userId: string, conversationId: string): Promise<Conversation> {
    const summary = await this.repos.conversations.summary(userId, conversationId);
    if (!summary) throw errors.notFound('Conversation');
    return summary;
  }

  /** The direct chat between two users; created on first use. */
  async openDirect(userId: string, otherUserId: string): Promise<Conversation> {
    const [other] = await this.repos.users.filterActive([otherUserId]);
    if (!other) throw errors.notFound('User');
    const directKey = [userId, otherUserId].sort().join(':');
    const existing = await this.repos.conversations.findByDirectKey(directKey);
    if (existing) return this.get(userId, existing.id);
    const id = randomUUID();
    const members = userId === otherUserId ? [userId] : [userId, otherUserId];
    try {
      await this.repos.conversations.create(
        { id, kind: 'direct', title: null, directKey, createdBy: userId, members: members.map((memberId) => ({ userId: memberId, role: 'member' })) },
        Date.now(),
      );
    } catch (error) {
      // Both users opened the chat at the same moment: the other insert won, use it.
      const raced = await this.repos.conversations.findByDirectKey(directKey);
      if (!raced) throw error;
      return this.get(userId, raced.id);
    }
    await this.announce(id);
    return this.get(userId, id);
  }

  async createGroup(userId: string, title: string, memberIds: readonly string[]): Promise<Conversation> {
    const others = await this.repos.users.filterActive([...new Set(memberIds)].filter((id) => id !== userId));
    if (others.length + 1 > LIMITS.maxGroupMembers) throw errors.badRequest(`A group has at most ${LIMITS.maxGroupMembers} members.`);
    const id = randomUUID();
    await this.repos.conversations.create(
      {
        id,
        kind: 'group',
        title,
        directKey: null,
        createdBy: userId,
        members: [{ userId, role: 'owner' as const }, ...others.map((memberId) => ({ userId: memberId, role: 'member' as const }))],
      },
      Date.now(),
    );
    await this.announce(id);
    return this.get(userId, id);
  }

  async rename(userId: string, conversationId: string, title: string): Promise<Conversation> {
    await this.requireGroupMember(userId, conversationId);
    await this.repos.conversations.rename(conversationId, title, Date.now());
    await this.announce(conversationId);
    return this.get(userId, conversationId);
  }

  async addMembers(userId: string, conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    await this.requireGroupMember(userId, conversationId);
    const current = await this.repos.conversations.memberIds(conversationId);
    const newcomers = await this.repos.users.filterActive([...new Set(userIds)].filter((id) => !current.includes(id)));
    if (current.length + newcomers.length > LIMITS.maxGroupMembers) throw errors.badRequest(`A group has at most ${LIMITS.maxGroupMembers} members.`);
    await this.repos.conversations.addMembers(conversationId, newcomers, Date.now());
    this.memberCache.invalidate(conversationId);
    await this.announce(conversationId);
    return this.get(userId, conversationId);
  }

  /** Removes `targetId`; a member may remove themself (leave), the owner may remove anyone. */
  async removeMember(userId: string, conversationId: string, targetId: string): Promise<void> {
    const members = await this.repos.conversations.members(conversationId);
    const me = members.find((member) => member.userId === userId);
    const conversation = me ? await this.repos.conversations.find(conversationId) : undefined;
    if (!me || !conversation) throw errors.notFound('Conversation');
    if (conversation.kind !== 'group') throw errors.badRequest('You cannot leave a direct chat.');
    if (!members.some((member) => member.userId === targetId)) throw errors.notFound('Member');
    if (targetId !== userId && me.role !== 'owner') throw errors.forbidden('Only the group owner can remove members.');
    await this.repos.conversations.removeMember(conversationId, targetId, Date.now());
    this.memberCache.invalidate(conversationId);
    this.bus.publish('deliver', { recipients: { userIds: [targetId] }, frame: { type: 'conversation.removed', conversationId } });
    await this.announce(conversationId);
  }

  async history(userId: string, conversationId: string, before: number | undefined, limit: number): Promise<HistoryResponse> {
    await this.requireMember(userId, conversationId);
    return this.repos.messages.before(conversationId, before, limit);
  }

  /** Messages after `afterSeq` for catch-up; empty for a conversation the user is not in. */
  async since(userId: string, conversationId: string, afterSeq: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean } | undefined> {
    return this.repos.messages.afterAsMember(conversationId, userId, afterSeq, limit);
  }

  /** Read receipt: raises the reader's mark and tells the members. */
  async markRead(userId: string, conversationId: string, seq: number): Promise<void> {
    const mark = await this.repos.conversations.markRead(conversationId, userId, seq);
    if (mark === undefined) throw errors.notFound('Conversation');
    const members = await this.repos.conversations.memberIds(conversationId);
    if (!members.includes(userId)) throw errors.notFound('Conversation');
    this.bus.publish('deliver', { recipients: { userIds: members }, frame: { type: 'read', conversationId, userId, seq: mark } });
  }

  /** Typing indicator: ephemeral, to the other members only. */
  async typing(userId: string, conversationId: string, state: 'start' | 'stop'): Promise<void> {
    const members = await this.memberCache.members(conversationId);
    if (!members.includes(userId)) throw errors.notFound('Conversation');
    const others = members.filter((id) => id !== userId);
    if (others.length > 0) this.bus.publish('deliver', { recipients: { userIds: others }, frame: { type: 'typing', conversationId, userId, state } });
  }

  private async requireMember(userId: string, conversationId: string): Promise<void> {
    if (!(await this.repos.conversations.isMember(conversationId, userId))) throw errors.notFound('Conversation');
  }

  private async requireGroupMember(userId: string, conversationId: string): Promise<void> {
    await this.requireMember(userId, conversationId);
    const conversation = await this.repos.conversations.find(conversationId);
    if (conversation?.kind !== 'group') throw errors.badRequest('Only group chats have a title and members to change.');
  }

  /** Sends each member their own view of the conversation (unread counts differ per member). */
  private async announce(conversationId: string): Promise<void> {
    const memberIds = await this.repos.conversations.memberIds(conversationId);
    for (const memberId of memberIds) {
      const summary = await this.repos.conversations.summary(memberId, conversationId);
      if (summary) this.bus.publish('deliver', { recipients: { userIds: [memberId] }, frame: { type: 'conversation', conversation: summary } });
    }
  }
}
