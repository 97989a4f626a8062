import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collectors/files/reports.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { loadCatalogue } from '../../src/collectors/files/procedures.js';
import { ScanPipeline, type AccountSlice, type PipelineSettings, type Tallies } from '../../src/core/pipeline/index.js';
import { listFormatters } from '../../src/core/format/registry.js';
import type { FormatContext, ReportSink } from '../../src/core/format/types.js';
import { parseWaivers } from '../../src/core/waivers/index.js';
import type { Account, AccountOutcome } from '../../src/model/index.js';

/**
 * The sink and pipeline states (SinkState, ScanPipeline.save/absorb) are what lets worker
 * threads each take a share of the accounts: several instances, each fed some accounts, joined
 * into one, must write the same bytes as one instance fed every account.
 */
const accounts: Account[] = [
  ...collectFromFiles([resolve('examples/org')]).snapshot.accounts,
  ...collectFromFiles([resolve('test/fixtures/real-world-credential-reports')]).snapshot.accounts,
  ...collectFromFiles([resolve('test/fixtures/injection')]).snapshot.accounts,
].map((account, i) => (i % 3 === 0 ? { ...account, name: `evil\n::warning::${i}\u001b[2J|x` } : account));
const outcomes: AccountOutcome[] = [
  { id: '444444444444', status: 'skipped', reason: 'account state is SUSPENDED' },
  { id: '999999999999', status: 'failed', reason: 'AccessDenied: sts:AssumeRole' },
];
const loaded = loadRuleset({ pack: 'complete' });
const NOW = '2026-11-01T12:00:00Z';
const waivers = parseWaivers(
  [
    'waivers:',
    `  - rule: "*"`,
    `    account: "${accounts[0]?.id}"`,
    '    principal: "*"',
    '    reason: accepted for the test',
    '    expires: 2026-12-01',
    '    approvedBy: someone',
    '  - rule: "*"',
    '    account: "000000000000"',
    '    principal: "*"',
    '    reason: never matches',
    '    expires: 2026-12-01',
  ].join('\n'),
  'waivers.yaml',
  { now: NOW, knownRules: loaded.ruleset.rules.map((r) => r.id) },
);
const settings: PipelineSettings = {
  ruleset: loaded.ruleset,
  toolVersion: 't',
  catalogue: loadCatalogue([], process.cwd()),
  access: {},
  waivers: { list: waivers, now: NOW },
};
// Few Markdown rows, so that the bounded buffers of several instances really compete.
const context: FormatContext = { toolVersion: 't', color: false, companions: true, markdownRows: 3 };

/** Every sink of every format (companions included), opened on `header`. */
function openAll(header: ScanPipeline['header']): { name: string; sink: ReportSink }[] {
  return listFormatters().flatMap((f) => [
    { name: f.name, sink: f.open(header, context) },
    ...(f.openCompanions?.(header, context) ?? []).map((c) => ({ name: `${f.name}/${c.name}`, sink: c.sink })),
  ]);
}

/** A report's text: head, the accounts' chunks in account-id order, tail. */
function text(sink: ReportSink, chunks: ReadonlyMap<string, string>, tallies: Tallies): string | undefined {
  const end = sink.end(tallies);
  if (end.omit || end.binary) return undefined;
  const body = [...chunks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, c]) => c)
    .filter((c) => c !== '');
  return [...(end.head ?? [])].join('') + body.join(sink.separator ?? '') + [...(end.tail ?? [])].join('');
}

/** Runs the accounts through `shares` pipelines (account i goes to share `assign(i)`), joined into the first. */
function run(shares: number, assign: (index: number) => number): Map<string, string | undefined> {
  const main = new ScanPipeline(settings, () => undefined);
  const mainSinks = openAll(main.header);
  const chunks = mainSinks.map(() => new Map<string, string>());
  const workers = Array.from({ length: shares }, () => {
    let sinks: { name: string; sink: ReportSink }[] = [];
    const pipeline = new ScanPipeline(settings, (slice: AccountSlice) =>
      sinks.forEach(({ sink }, i) => chunks[i]?.set(slice.id, [...sink.account(slice)].join(''))),
    );
    sinks = openAll(main.header);
    return { pipeline, sinks };
  });
  accounts.forEach((account, i) => workers[assign(i)]?.pipeline.account(account));
  // Outcomes stay on the main thread, as the worker pool does it.
  const mainPipeline = new ScanPipeline(settings, (slice) =>
    mainSinks.forEach(({ sink }, i) => chunks[i]?.set(slice.id, [...sink.account(slice)].join(''))),
  );
  for (const outcome of outcomes) mainPipeline.outcome(outcome);
  for (const worker of workers) {
    mainPipeline.absorb(structuredClone(worker.pipeline.save()));
    worker.sinks.forEach(({ sink }, i) => {
      if (sink.state) mainSinks[i]?.sink.state?.absorb(structuredClone(sink.state.save()));
    });
  }
  const tallies = mainPipeline.finish();
  return new Map(
    mainSinks.map(({ name, sink }, i) => [name, sink.state ? text(sink, chunks[i] as Map<string, string>, tallies) : 'whole']),
  );
}

describe('sinks and pipelines in shares (what worker threads do)', () => {
  const one = run(1, () => 0);

  it('has fixtures that exercise waivers, plans, several accounts and outcomes', () => {
    expect(new Set(accounts.map((a) => a.id)).size).toBeGreaterThanOrEqual(8);
    expect(one.get('json')).toContain('"status":"waived"');
    expect(one.get('json')).toContain('"plans":[\n');
    expect(one.get('markdown')).toContain('999999999999');
  });

  it.each([
    ['two shares, alternating', 2, (i: number) => i % 2],
    ['three shares, in runs', 3, (i: number) => Math.floor(i / 4) % 3],
    ['four shares, reversed', 4, (i: number) => 3 - (i % 4)],
  ])('writes every report byte for byte as one pipeline does: %s', (_name, shares, assign) => {
    const split = run(shares, assign);
    expect([...split.keys()]).toEqual([...one.keys()]);
    for (const [name, bytes] of one) expect(split.get(name), name).toBe(bytes);
  });

  it('declares the state of every sink (none is written from slices on the main thread)', () => {
    const stateless = [...one.entries()].filter(([, bytes]) => bytes === 'whole').map(([name]) => name);
    expect(stateless.sort()).toEqual([]);
  });
});
