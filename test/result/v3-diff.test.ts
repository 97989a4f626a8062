import { describe, expect, it } from 'vitest';
import { emptySlot } from '../../src/core/remediation/facts.js';
import { baseFacts, diff, diffFacts, patch } from '../../src/core/result/v3.js';
import type { PrincipalFacts } from '../../src/core/remediation/index.js';

const LEAVES: readonly unknown[] = [null, true, false, 0, 1, 2.5, -1, '', 'a', 'b', '1', 'null', [], [1], ['a', 'b'], {}];

/** A deterministic random facts-like value: objects of leaves, nested objects and arrays of objects. */
function randomValue(next: () => number, depth = 0): unknown {
  const pick = next();
  if (depth > 2 || pick < 0.5) return LEAVES[Math.floor(next() * LEAVES.length)];
  if (pick < 0.8) {
    const out: Record<string, unknown> = {};
    for (const key of ['k1', 'k2', 'k3', 'k4'].filter(() => next() < 0.7)) out[key] = randomValue(next, depth + 1);
    return out;
  }
  return Array.from({ length: 2 }, () => randomValue(next, depth + 1) ?? {});
}

/**
 * A value of the base's shape, as facts are of baseFacts' shape: every member of the base kept
 * (changed or not), members added, leaves replaced.
 */
function mutate(base: unknown, next: () => number): unknown {
  if (next() < 0.4) return base;
  if (Array.isArray(base)) return next() < 0.5 ? base.map((item) => mutate(item, next)) : randomValue(next);
  if (base !== null && typeof base === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(base)) out[key] = mutate(item, next);
    if (next() < 0.3) out.added = randomValue(next, 1);
    return out;
  }
  return randomValue(next, 1);
}

function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

describe('result v3 diff and patch', () => {
  it('patching the base with the difference gives the value back, and an equal value gives no difference', () => {
    const next = prng(3);
    for (let i = 0; i < 5000; i++) {
      const base = randomValue(next);
      const value = mutate(base, next);
      const difference = diff(value, base);
      expect(JSON.stringify(patch(base, difference))).toBe(JSON.stringify(value));
      if (JSON.stringify(value) === JSON.stringify(base)) expect(difference).toBeUndefined();
    }
  });

  it('states only the members that differ', () => {
    const base = { a: 1, b: 'x', c: { d: null, e: [{ f: 1 }, { f: 2 }] }, g: true };
    expect(diff({ a: 1, b: 'y', c: { d: null, e: [{ f: 1 }, { f: 3 }] }, g: true }, base)).toEqual({ b: 'y', c: { e: [{}, { f: 3 }] } });
    expect(diff({ ...base, h: undefined }, base)).toBeUndefined();
    // Values with the same JSON text are the same to a JSON reader.
    expect(diff({ a: Number.NaN }, { a: null })).toBeUndefined();
    expect(diff({ a: 2 }, { a: '2' })).toEqual({ a: 2 });
  });

  it('diffs key and certificate slots as any other object, whatever members they hold and in whatever order', () => {
    const next = prng(11);
    const slotValues: readonly unknown[] = [...LEAVES, undefined, '2025-01-01T00:00:00+00:00', 476.12, { nested: [1] }];
    for (let i = 0; i < 3000; i++) {
      const base = [emptySlot(1), emptySlot(2)];
      let reordered = false;
      const value = base.map((slot) => {
        const entries = Object.entries(slot).map(([key, item]) => [
          key,
          next() < 0.4 ? slotValues[Math.floor(next() * slotValues.length)] : item,
        ]);
        // A slot read from a hand-written result may hold other members, or its members in another order.
        if (next() < 0.15) entries.push(['extra', 'x']);
        if (next() < 0.15) reordered = entries.reverse().length > 0;
        return Object.fromEntries(entries) as Record<string, unknown>;
      });
      const difference = diff({ keys: value }, { keys: base });
      expect(difference).toEqual(referenceDiff({ keys: value }, { keys: base }));
      expect(JSON.stringify(difference)).toBe(JSON.stringify(referenceDiff({ keys: value }, { keys: base })));
      // An undefined member is not written, so it reads back as the base's; members read back in the base's order.
      if (!reordered && value.every((slot) => Object.values(slot).every((item) => item !== undefined)))
        expect(JSON.stringify(patch({ keys: base }, difference))).toBe(JSON.stringify({ keys: value }));
    }
  });

  it('gives a frozen value shared between plans the difference from each base it meets, and one that may change its current one', () => {
    const shared = Object.freeze([Object.freeze({ slot: 1, present: false }), Object.freeze({ slot: 2, present: false })]);
    const baseA = [
      { slot: 1, present: null },
      { slot: 2, present: null },
    ];
    const baseB = [
      { slot: 1, present: false },
      { slot: 2, present: null },
    ];
    expect(diff(shared, baseA)).toEqual([{ present: false }, { present: false }]);
    expect(diff(shared, baseA)).toEqual([{ present: false }, { present: false }]);
    expect(diff(shared, baseB)).toEqual([{}, { present: false }]);
    expect(diff(shared, baseA)).toEqual([{ present: false }, { present: false }]);
    // Frozen on the outside only: what it holds may change between two plans.
    const inner = { present: false };
    const shallow = Object.freeze({ slot: 1, inner });
    const base = { slot: 1, inner: { present: null } };
    expect(diff(shallow, base)).toEqual({ inner: { present: false } });
    inner.present = true;
    expect(diff(shallow, base)).toEqual({ inner: { present: true } });
  });

  it("diffs a plan's facts member by member as the generic walk does, whatever members they hold and in whatever order", () => {
    const next = prng(29);
    const account = { id: '123456789012', name: 'prod', asOf: '2026-06-01T00:00:00Z', reportGeneratedTime: '2026-06-01T00:00:00Z' };
    const principal = { type: 'user' as const, name: 'a"b\n|`é\u0000', arn: 'arn:aws:iam::123456789012:user/a"b\n|`é\u0000' };
    const factValues: readonly unknown[] = [
      ...LEAVES,
      undefined,
      'arn:aws-cn:iam::1:root',
      476.12,
      { nested: [1] },
      { type: 'root', name: 'x', arn: 'y' },
    ];
    let reorderedOrExtra = 0;
    for (let i = 0; i < 3000; i++) {
      const base = baseFacts(account, null, principal);
      const entries = Object.entries(baseFacts(account, null, principal)).map(([key, item]) => [
        key,
        next() < 0.3 ? factValues[Math.floor(next() * factValues.length)] : next() < 0.5 ? mutate(item, next) : item,
      ]);
      // Facts read from a hand-written result may hold other members, or theirs in another order.
      const shape = next();
      if (shape < 0.1) entries.push(['extra', 'x']);
      else if (shape < 0.2) entries.reverse();
      else if (shape < 0.25) entries.pop();
      if (shape < 0.25) reorderedOrExtra++;
      const value = Object.fromEntries(entries) as unknown as PrincipalFacts;
      const difference = diffFacts(value, base);
      const reference = referenceDiff(value, base);
      expect(difference).toEqual(reference);
      expect(JSON.stringify(difference)).toBe(JSON.stringify(reference));
    }
    expect(reorderedOrExtra).toBeGreaterThan(500);
    // An enumerable inherited member: the generic walk skips it, and so must the named one.
    const inherited = Object.assign(Object.create({ inheritedFact: 'x' }) as object, baseFacts(account, null, principal), {
      asOf: 'later',
    }) as PrincipalFacts;
    expect(diffFacts(inherited, baseFacts(account, null, principal))).toEqual({ asOf: 'later' });
  });
});

/** The difference as the generic walk gives it (every object member by member, by computed key): what the slots' own walk must match, member order included. */
function referenceDiff(value: unknown, base: unknown): unknown {
  if (value === base) return undefined;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(value) && isObject(base)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const d = referenceDiff(item, base[key]);
      if (d !== undefined) (out ??= {})[key] = d;
    }
    return out;
  }
  if (Array.isArray(value) && Array.isArray(base) && value.length === base.length && value.every(isObject) && base.every(isObject)) {
    const items = value.map((item, i) => referenceDiff(item, base[i]));
    return items.every((d) => d === undefined) ? undefined : items.map((d) => d ?? {});
  }
  return JSON.stringify(value) === JSON.stringify(base) ? undefined : value;
}
