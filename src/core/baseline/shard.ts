import { sha256 } from '../util/hash.js';

/** One shard of an account list: shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Parses `K/N` (1 <= K <= N). Returns an error message instead of throwing, so
 * the CLI can word the usage error.
 */
export function parseShard(text: string): ShardSpec | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return `'${text}' is not K/N (e.g. 2/4)`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return `shard ${index}/${count} is out of range: K must be between 1 and N`;
  return { index, count };
}

/**
 * The shard an account belongs to (1-based). Derived from a hash of the account
 * id only, so every job of a matrix agrees without coordination, and adding an
 * account never moves the others.
 */
export function shardOf(accountId: string, count: number): number {
  return (Number.parseInt(sha256(accountId).slice(0, 8), 16) % count) + 1;
}

/** The items of shard `spec`, in their original order. */
export function selectShard<T>(items: readonly T[], spec: ShardSpec, idOf: (item: T) => string): T[] {
  return items.filter((item) => shardOf(idOf(item), spec.count) === spec.index);
}
