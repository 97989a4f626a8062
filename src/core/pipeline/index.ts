/**
 * The scan pipeline, in one place. Per account, as it is collected:
 *
 *   evaluate → waive → compare with the baseline → plan → sinks (reports)
 *
 * (`STAGES` in ./pipeline.ts, each stage in ./stages.ts). Nothing of an account is kept
 * once its slice has gone to the sinks; the only whole-organisation state is the tallies
 * (./tallies.ts): the summary, each rule's status and coverage, waiver outcomes and the
 * gate's counts. Pure: the CLI collects the accounts and writes the reports
 * (src/cli/reporting.ts, which spools each report's accounts and joins them in account-id
 * order, so the bytes never depend on which account finished first).
 */
export type * from './types.js';
export { runHeader, ScanPipeline, STAGES, type PipelineSettings, type SavedPipeline } from './pipeline.js';
export { baselineIndex, type BaselineIndex } from './baseline.js';
export { assembleResult, sliceResult, talliesOf } from './whole.js';
export { TallyCounter } from './tallies.js';
