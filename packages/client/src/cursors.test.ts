import { describe, expect, it } from 'vitest';
import { Cursors } from './cursors.js';
import { CONV_A, makeMessage } from './testing/fake-socket.js';

const seqs = (messages: ReadonlyArray<{ seq: number }>) => messages.map((message) => message.seq);

describe('Cursors', () => {
  it('delivers in order, holds what comes past a gap, and drops repeats without holding them', () => {
    const cursors = new Cursors();
    cursors.setFloor(CONV_A, 0);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 1)))).toEqual([1]);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 3)))).toEqual([]);
    expect(cursors.hasGap(CONV_A)).toBe(true);
    expect(cursors.maxAhead(CONV_A)).toBe(3);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 3)))).toEqual([]);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 2)))).toEqual([2, 3]);
    expect(cursors.hasGap(CONV_A)).toBe(false);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 1)))).toEqual([]);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 2)))).toEqual([]);
    expect(cursors.hasGap(CONV_A)).toBe(false);
    expect(cursors.cursor(CONV_A)).toBe(3);
  });

  it('lists only conversations with something seen, not those known from a welcome', () => {
    const cursors = new Cursors();
    cursors.setFloor(CONV_A, 40);
    expect(cursors.seen()).toEqual([]);
    cursors.markSeen(CONV_A, 40);
    expect(cursors.seen()).toEqual([{ conversationId: CONV_A, afterSeq: 40 }]);
  });

  it('keeps a known floor when a conversation frame overtakes message frames', () => {
    const cursors = new Cursors();
    cursors.setFloor(CONV_A, 10);
    cursors.setFloorIfUnknown(CONV_A, 12);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 12)))).toEqual([]);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 11)))).toEqual([11, 12]);
  });

  it('skips a hole proven by a sync batch, but not a gap the batch does not cover', () => {
    const cursors = new Cursors();
    cursors.markSeen(CONV_A, 5);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 9)))).toEqual([]);
    // The batch answers "after 5": 6 exists, 7 does not, 8 does. Nothing is said about beyond 8.
    expect(seqs(cursors.acceptBatch(CONV_A, 5, [makeMessage(CONV_A, 6), makeMessage(CONV_A, 8)]))).toEqual([6, 8, 9]);

    cursors.markSeen(CONV_A, 20);
    expect(seqs(cursors.accept(makeMessage(CONV_A, 25)))).toEqual([]);
    // A batch that answers "after 22" proves nothing about 21–22.
    expect(seqs(cursors.acceptBatch(CONV_A, 22, [makeMessage(CONV_A, 24)]))).toEqual([]);
    expect(cursors.cursor(CONV_A)).toBe(20);
  });

  it('releases held messages up to a bound, and only those', () => {
    const cursors = new Cursors();
    cursors.markSeen(CONV_A, 1);
    cursors.accept(makeMessage(CONV_A, 4));
    cursors.accept(makeMessage(CONV_A, 7));
    expect(seqs(cursors.releaseThrough(CONV_A, 5))).toEqual([4]);
    expect(cursors.cursor(CONV_A)).toBe(4);
    expect(cursors.maxAhead(CONV_A)).toBe(7);
  });

  it('refuses a negative or fractional seen mark', () => {
    const cursors = new Cursors();
    expect(() => cursors.markSeen(CONV_A, -1)).toThrow(RangeError);
    expect(() => cursors.markSeen(CONV_A, 1.5)).toThrow(RangeError);
  });
});
