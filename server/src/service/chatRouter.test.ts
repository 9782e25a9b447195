import { describe, expect, it } from 'vitest';
import { leastBusy, priority, random, roundRobin, RULES } from './chatRouter.js';
import type { AgentRecord } from './store/agents.js';

function agent(userId: string, fields: Partial<AgentRecord> = {}): AgentRecord {
  return { userId, displayName: userId, dutyStatus: 'available', priority: 0, maxChats: 5, activeChats: 0, lastAssignedAt: 0, dutyChangedAt: 0, seenAt: 0, ...fields };
}

const ids = (agents: readonly AgentRecord[]) => agents.map((entry) => entry.userId);

describe('routing rules', () => {
  it('round_robin: the agent assigned longest ago first, then who came on duty first', () => {
    expect(ids(roundRobin([agent('a', { lastAssignedAt: 30 }), agent('b', { lastAssignedAt: 10 }), agent('c', { lastAssignedAt: 20 })]))).toEqual(['b', 'c', 'a']);
    expect(ids(roundRobin([agent('a', { dutyChangedAt: 5 }), agent('b', { dutyChangedAt: 1 })]))).toEqual(['b', 'a']);
  });

  it('priority: highest first, ties round-robin', () => {
    const ordered = priority([agent('low', { priority: 0 }), agent('high-recent', { priority: 9, lastAssignedAt: 50 }), agent('high-idle', { priority: 9, lastAssignedAt: 10 })]);
    expect(ids(ordered)).toEqual(['high-idle', 'high-recent', 'low']);
  });

  it('least_busy: fewest open chats first, ties round-robin', () => {
    const ordered = leastBusy([agent('busy', { activeChats: 3 }), agent('idle-recent', { activeChats: 1, lastAssignedAt: 9 }), agent('idle', { activeChats: 1, lastAssignedAt: 1 })]);
    expect(ids(ordered)).toEqual(['idle', 'idle-recent', 'busy']);
  });

  it('random: a permutation of the candidates, every agent eventually first', () => {
    const candidates = [agent('a'), agent('b'), agent('c')];
    const firsts = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const ordered = random(candidates);
      expect(ids(ordered).sort()).toEqual(['a', 'b', 'c']);
      firsts.add(ordered[0]?.userId ?? '');
    }
    expect(firsts).toEqual(new Set(['a', 'b', 'c']));
  });

  it('every rule leaves the input alone and has an entry', () => {
    const candidates = [agent('b', { lastAssignedAt: 2 }), agent('a', { lastAssignedAt: 1 })];
    for (const rule of Object.values(RULES)) rule(candidates);
    expect(ids(candidates)).toEqual(['b', 'a']);
    expect(Object.keys(RULES).sort()).toEqual(['least_busy', 'priority', 'random', 'round_robin']);
  });
});
