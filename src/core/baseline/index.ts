/** Comparing scans (baseline, diff), and splitting and merging sharded scans. Pure. */
export { applyBaseline, BaselineComparison, hasNewFindings } from './baseline.js';
export { accountTimes, firstSeenFromBaseline } from './first-seen.js';
export { diffResults, ResultComparison, type DiffHeader, type ResultDiff, type ChangedFinding } from './diff.js';
export { parseShard, shardOf, selectShard, type ShardSpec } from './shard.js';
export { mergeResults, type NamedResult } from './merge.js';
export { formatDiff, DIFF_FORMATS, type DiffFormat } from './render.js';
export { MergeTallies, mergeRunHeader, mergedSlice } from './merge-stream.js';
