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

  it('keeps nothing with a limit of 0', () => {
    const top = new TopN<number>(0, (a, b) => a - b);
    top.add(1);
    expect(top.sorted()).toEqual([]);
  });
});
