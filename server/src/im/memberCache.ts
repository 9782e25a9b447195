import type { ConversationRepository } from '../store/repositories/conversations.js';

/**
 * Short-lived cache of conversation members for ephemeral traffic (typing) that must not cost a
 * query per keystroke. Anything durable (messages, receipts) checks membership in the database.
 */
export class MemberCache {
  private readonly entries = new Map<string, { members: Promise<string[]>; at: number }>();

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly ttlMs = 5000,
  ) {}

  async members(conversationId: string): Promise<string[]> {
    const now = Date.now();
    const entry = this.entries.get(conversationId);
    if (entry && now - entry.at < this.ttlMs) return entry.members;
    const members = this.conversations.memberIds(conversationId);
    this.entries.set(conversationId, { members, at: now });
    if (this.entries.size > 50_000) this.entries.clear();
    members.catch(() => this.entries.delete(conversationId));
    return members;
  }

  invalidate(conversationId: string): void {
    this.entries.delete(conversationId);
  }
}
