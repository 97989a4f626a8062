/** The Markdown summary of a benchmark run (reports/bench/latest.md). */
import type { BenchReport } from './main.js';
import type { OfflineMeasurement } from './offline.js';
import type { ScanMeasurement } from './live.js';
import type { BenchSizes } from './sizes.js';
import type { BinaryRun } from './binary.js';
import { startupRows } from './startup.js';
import { OFFLINE_TARGETS, offlineArgv, type LiveDetails } from './scenarios.js';

/** Everything measured beyond the fields of latest.json. */
export interface BenchDetails {
  label: string;
  sizes: BenchSizes;
  workers: number;
  offline?: BinaryRun;
  live?: LiveDetails;
  baseline?: OfflineMeasurement;
  throttled?: ScanMeasurement & { throttled: number; assumeRoleOk: number };
  scale?: ScanMeasurement & { peakRssMb: number };
  trend?: BinaryRun;
}

function verdict(met: boolean): string {
  return met ? 'met' : '**not met**';
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Growth (MiB) between the first sample after warm-up (the second sample, 20 % of accounts) and the last. */
export function rssGrowthMb(samples: [number, number][]): number | undefined {
  if (samples.length < 3) return undefined;
  const warm = samples[Math.min(1, samples.length - 1)] as [number, number];
  const last = samples[samples.length - 1] as [number, number];
  return Math.round((last[1] - warm[1]) * 10) / 10;
}

/** Renders latest.md. */
export function renderMarkdown(report: BenchReport, details: BenchDetails): string {
  const m = report.machine;
  const lines = [
    `# credwarden benchmark (${details.label} sizes)`,
    '',
    `Machine: ${m.nproc} cores, ${m.cpuModel}, ${m.ramGb} GiB RAM, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverage1m}.`,
    '',
    '| scenario | target | figure | verdict |',
    '|---|---|---|---|',
  ];
  const notes: string[] = [];
  const o = report.offline;
  if (o && details.offline) {
    const d = details.offline;
    const complete = o.exitCode === 0 || o.exitCode === 1;
    const mib = (bytes: number | null) => (bytes === null ? 'not written' : `${(bytes / 1_048_576).toFixed(1)} MiB`);
    lines.push(
      row([
        'offline',
        'completes: JSON, SARIF, Markdown and CSV written',
        complete
          ? `exit ${o.exitCode}; JSON ${mib(o.jsonBytes)}, SARIF ${mib(o.sarifBytes)}, Markdown ${mib(o.markdownBytes)}, CSV ${mib(o.csvBytes)}`
          : `exit ${o.exitCode}: ${d.stderrTail.split('\n').at(-1) ?? ''}`,
        verdict(complete && o.jsonBytes !== null && o.sarifBytes !== null && o.markdownBytes !== null),
      ]),
    );
    lines.push(
      row([
        'offline',
        `${o.principals.toLocaleString('en-US')} principals in at most ${OFFLINE_TARGETS.seconds} s`,
        `${o.seconds} s (${o.principalsPerSecond.toLocaleString('en-US')} principals/s)`,
        verdict(complete && o.seconds <= OFFLINE_TARGETS.seconds),
      ]),
    );
    lines.push(
      row([
        'offline',
        `peak RSS at most ${OFFLINE_TARGETS.peakRssMb / 1024} GiB`,
        o.peakRssMb === null ? 'not measured' : `${o.peakRssMb} MiB`,
        verdict(complete && o.peakRssMb !== null && o.peakRssMb <= OFFLINE_TARGETS.peakRssMb),
      ]),
    );
    lines.push(
      row([
        'offline',
        `at most ${OFFLINE_TARGETS.jsonBytesPerFinding / 1024} KiB of JSON per finding`,
        o.jsonBytesPerFinding === null ? 'no JSON' : `${o.jsonBytesPerFinding} bytes (${o.findings?.toLocaleString('en-US')} findings)`,
        verdict(o.jsonBytesPerFinding !== null && o.jsonBytesPerFinding <= OFFLINE_TARGETS.jsonBytesPerFinding),
      ]),
    );
    lines.push(
      row([
        'offline',
        `credwarden-plans.md at most ${OFFLINE_TARGETS.plansBytes / 1_048_576} MiB`,
        o.plansBytes === null ? 'not written' : `${mib(o.plansBytes)} (credwarden-targets.csv ${mib(o.targetsBytes)})`,
        verdict(o.plansBytes !== null && o.plansBytes <= OFFLINE_TARGETS.plansBytes),
      ]),
    );
    for (const r of report.offlineRuns ?? []) {
      lines.push(
        row([
          'offline (each size)',
          `${r.principals.toLocaleString('en-US')} principals`,
          `${r.seconds} s, ${r.peakRssMb ?? '?'} MiB peak, ${r.jsonBytesPerFinding ?? '?'} bytes/finding, plans ${mib(r.plansBytes)}; load ${r.loadAverage1mBefore} → ${r.loadAverage1mAfter}`,
          '',
        ]),
      );
    }
    if (report.offlinePeakRatio !== null) {
      lines.push(
        row([
          'offline',
          `memory flat in findings: peak at the largest size at most ${OFFLINE_TARGETS.peakRatio}× the smallest's`,
          `${report.offlinePeakRatio}×`,
          verdict(report.offlinePeakRatio <= OFFLINE_TARGETS.peakRatio),
        ]),
      );
    }
    notes.push(
      '## offline',
      '',
      `\`credwarden ${offlineArgv('REPORTS', 'OUT', 'PACK').join(' ').replace('PACK', 'recommended')}\` on ${details.sizes.offline.accounts} saved reports of ${details.sizes.offline.usersPerAccount.toLocaleString('en-US')} users, as a child process. ` +
        'Wall time of the process; peak RSS is its kernel high-water mark (VmHWM).',
      '',
      ...(complete ? [] : ['```', d.stderrTail, '```', '']),
    );
  }
  const l = report.live;
  if (l && details.live) {
    const d = details.live;
    const target = liveTarget(l.accounts);
    lines.push(
      row([
        'live',
        `wall time within ${target}x of the lower bound`,
        `${l.seconds} s vs ${l.lowerBoundSeconds} s = ${l.ratioToLowerBound}x (exit ${l.exitCode})`,
        verdict(l.ratioToLowerBound <= target && l.exitCode <= 1),
      ]),
    );
    lines.push(
      row(['live', 'calls per account with fresh reports: 2', String(l.callsPerAccount), verdict(Math.abs(l.callsPerAccount - 2) < 0.01)]),
    );
    notes.push(
      '## live',
      '',
      `\`credwarden scan --org --endpoint-url SANDBOX --pack credential-report --concurrency ${l.concurrency} --format json --format sarif --format markdown --output-dir OUT\` as a child process: ` +
        `${l.accounts} accounts of ${details.sizes.live.usersPerAccount} users, ${l.latencyMs} ms injected on every call; every report is fresh. ` +
        `Lower bound = ceil(${l.accounts} / ${l.concurrency}) x 2 calls x ${l.latencyMs} ms. Seconds are the process's wall time: start-up, account listing and writing the reports included. ` +
        `Successful calls by operation: ${JSON.stringify(d.operations)}. Peak RSS ${l.peakRssMb ?? 'n/a'} MiB. ` +
        `CPU (user + system): credwarden ${l.cpuSeconds ?? 'n/a'} s, the sandbox (in the bench's process) ${l.sandboxCpuSeconds} s.`,
      '',
      `Without fresh reports (${d.generated.accounts} accounts, generation needing ${details.sizes.live.reportPolls} polls, the collector's default poll backoff): ` +
        `${d.generated.run.seconds.toFixed(2)} s, exit ${d.generated.run.exitCode}, ${d.generated.callsPerAccount} calls per account.`,
      '',
    );
  }
  const b = report.baseline;
  if (b && details.baseline) {
    const d = details.baseline;
    lines.push(
      row([
        'baseline (--verify)',
        'engine within 1.5x of the hand-written rules, same findings',
        `${b.ratioToBaseline}x (engine ${b.engineSeconds} s, baseline ${b.baselineSeconds} s); ${b.mismatchedAccounts} account(s) differ`,
        verdict(b.ratioToBaseline <= 1.5 && b.mismatchedAccounts === 0),
      ]),
    );
    notes.push(
      '## baseline (--verify)',
      '',
      `${d.principals.toLocaleString('en-US')} principals, ${d.findings.toLocaleString('en-US')} findings. Parse + normalise ${d.parseSeconds.toFixed(2)} s, engine ${d.engineSeconds.toFixed(2)} s, baseline ${d.baselineSeconds.toFixed(2)} s (summed over ${d.workers} thread(s)); findings compared deep-equal.`,
      '',
    );
  }
  const t = report.throttled;
  if (t && details.throttled) {
    const d = details.throttled;
    lines.push(row(['throttled', 'zero failed accounts', String(t.failedAccounts), verdict(t.failedAccounts === 0)]));
    lines.push(
      row([
        'throttled',
        `at least 80% of ${t.allowedRps} AssumeRole/s`,
        `${t.achievedRps}/s (${Math.round((100 * t.achievedRps) / t.allowedRps)}%)`,
        verdict(t.achievedRps >= 0.8 * t.allowedRps),
      ]),
    );
    notes.push(
      '## throttled',
      '',
      `${t.accounts} accounts; token buckets of ${t.allowedRps} AssumeRole/s (whole organisation) and ${details.sizes.throttled.iamRpsPerAccount} IAM calls/s per account; ${details.sizes.throttled.latencyMs} ms latency, concurrency ${details.sizes.throttled.concurrency}. ` +
        `${d.assumeRoleOk} successful AssumeRole calls over the ${d.totalSeconds.toFixed(2)} s scan; the sandbox answered ${d.throttled} calls with Throttling. ` +
        `Failures: ${d.failures.length > 0 ? d.failures.join('; ') : 'none'}.`,
      '',
    );
  }
  const s = report.scale;
  if (s && details.scale) {
    const d = details.scale;
    const growth = rssGrowthMb(d.rssSamples);
    lines.push(
      row([
        'scale',
        'completes',
        `${d.scanned}/${s.accounts} scanned, ${d.failed} failed, ${s.seconds} s`,
        verdict(d.failed === 0 && d.scanned === s.accounts),
      ]),
    );
    const heapGrowth = rssGrowthMb(d.heapSamples);
    lines.push(
      row([
        'scale',
        'RSS bounded and flat in the number of accounts',
        `peak ${s.peakRssMb} MiB; after warm-up RSS grew ${growth ?? 'n/a'} MiB, heap ${heapGrowth ?? 'n/a'} MiB`,
        verdict(growth !== undefined && growth < 64),
      ]),
    );
    notes.push(
      '## scale',
      '',
      `${s.accounts} accounts x ${s.usersPerAccount} users (${(s.accounts * (s.usersPerAccount + 1)).toLocaleString('en-US')} principals), ${details.sizes.scale.latencyMs} ms latency, concurrency ${details.sizes.scale.concurrency}; ${d.findings.toLocaleString('en-US')} findings streamed to a JSON Lines file. ` +
        `Selection complete after ${d.planSeconds.toFixed(2)} s; scan ${d.totalSeconds.toFixed(2)} s; scanner CPU ${d.cpuSeconds.toFixed(2)} s. Samples are taken after a full GC.`,
      '',
      '| accounts done | scanner RSS (MiB) | V8 heap used (MiB) |',
      '|---|---|---|',
      ...d.rssSamples.map(([done, rss], i) => row([done, rss, d.heapSamples[i]?.[1] ?? 'n/a'])),
      '',
    );
  }
  const tr = report.trend;
  if (tr)
    lines.push(
      row([
        'trend',
        'linear in resolved findings (issue 20 item 11)',
        `${tr.resolved.toLocaleString('en-US')} resolved in ${tr.seconds} s, peak ${tr.peakRssMb ?? 'n/a'} MiB`,
        verdict(tr.exitCode === 0),
      ]),
    );
  if (report.startup) lines.push(...startupRows(report.startup).map(row));
  return `${[...lines, '', ...notes].join('\n').trimEnd()}\n`;
}

/** Issue 18's live targets: 1.5x the lower bound for 1,000 accounts, 1.25x for 10,000 (and more). */
function liveTarget(accounts: number): number {
  return accounts >= 10_000 ? 1.25 : 1.5;
}
