import { describe, expect, it } from 'vitest';
import { TopN } from '../../src/core/format/top.js';

describe('TopN', () => {
  it('keeps the first items under the order, whatever order they arrive in', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const forward = new TopN<number>(25, (a, b) => a - b);
    const backward = new TopN<number>(25, (a, b) => a - b);
    for (const v of values) forward.add(v);
    for (const v of [...values].reverse()) backward.add(v);
    expect(forward.sorted()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(backward.sorted()).toEqual(forward.sorted());
  });

  it('gives the first items of a full sort on long streams, however often it trims (sorted midway too)', () => {
    let state = 11;
    const next = () => (state = (state * 48271) % 2147483647);
    for (const limit of [1, 3, 10, 64]) {
      const items = Array.from({ length: 5000 }, (_, i) => ({ rank: next() % 50, id: i }));
      const order = (a: { rank: number; id: number }, b: { rank: number; id: number }) => a.rank - b.rank || a.id - b.id;
      const top = new TopN(limit, order);
      items.forEach((item, i) => {
        top.add(item);
        if (i === 2500) top.sorted();
      });
      expect(top.sorted()).toEqual([...items].sort(order).slice(0, limit));
    }
  });

  it('keeps nothing with a limit of 0', () => {
    const top = new TopN<number>(0, (a, b) => a - b);
    top.add(1);
    expect(top.sorted()).toEqual([]);
  });
});
