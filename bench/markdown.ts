/** The Markdown summary of a benchmark run (reports/bench/latest.md). */
import type { BenchReport } from './main.js';
import type { OfflineMeasurement } from './offline.js';
import type { ScanMeasurement } from './live.js';
import type { BenchSizes } from './sizes.js';

/** Everything measured beyond the fields of latest.json. */
export interface BenchDetails {
  label: string;
  sizes: BenchSizes;
  workers: number;
  offline?: OfflineMeasurement;
  live?: ScanMeasurement & { peakRssMb: number; generated?: ScanMeasurement };
  throttled?: ScanMeasurement & { throttled: number; assumeRoleOk: number };
  scale?: ScanMeasurement & { peakRssMb: number };
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
    lines.push(row(['offline', 'engine within 1.5x of the hand-written baseline', `${o.ratioToBaseline}x (engine ${d.engineSeconds.toFixed(2)} s, baseline ${o.baselineSeconds} s)`, verdict(o.ratioToBaseline <= 1.5)]));
    lines.push(row(['offline', `${o.principals.toLocaleString('en-US')} principals end to end under 15 s`, `${o.seconds} s (${o.principalsPerSecond.toLocaleString('en-US')} principals/s)`, verdict(o.seconds < 15)]));
    lines.push(row(['offline', 'peak RSS under 1 GiB', `${o.peakRssMb} MiB`, verdict(o.peakRssMb < 1024)]));
    notes.push(
      '## offline',
      '',
      `${d.principals.toLocaleString('en-US')} principals in ${details.sizes.offline.accounts} reports, ${d.findings.toLocaleString('en-US')} findings written as one JSON array. ` +
        `Pipeline pass on ${d.workers} thread(s): ${d.seconds.toFixed(2)} s. Compare pass (time summed over threads): parse + normalise ${d.parseSeconds.toFixed(2)} s, engine ${d.engineSeconds.toFixed(2)} s, baseline ${d.baselineSeconds.toFixed(2)} s. ` +
        `Engine and baseline disagreed on ${d.mismatchedAccounts} account(s).`,
      '',
    );
  }
  const l = report.live;
  if (l && details.live) {
    const d = details.live;
    lines.push(row(['live', 'wall time within 1.25x of the lower bound', `${l.seconds} s vs ${l.lowerBoundSeconds} s = ${l.ratioToLowerBound}x`, verdict(l.ratioToLowerBound <= 1.25)]));
    lines.push(row(['live', 'calls per account with fresh reports: 2', String(l.callsPerAccount), verdict(Math.round(l.callsPerAccount) === 2)]));
    notes.push(
      '## live',
      '',
      `${l.accounts} accounts, ${l.latencyMs} ms injected on every call, concurrency ${l.concurrency}; report generation would need ${details.sizes.live.reportPolls} polls, but every report is fresh so none is generated. ` +
        `Lower bound = ceil(${l.accounts} / ${l.concurrency}) x 2 calls x ${l.latencyMs} ms. ` +
        `Seconds are the whole scan's wall time, account listing included (GetCallerIdentity, ${Math.ceil(l.accounts / 20)} ListAccounts pages of 20, organisation facts; the selection was complete after ${d.planSeconds.toFixed(2)} s). ` +
        `Calls per scanned account: ${JSON.stringify(d.callHistogram)} (the management account is read with the caller's own credentials: no AssumeRole). Failed accounts: ${d.failed}. Scanner peak RSS ${d.peakRssMb} MiB; scanner CPU ${d.cpuSeconds.toFixed(2)} s.`,
      '',
      ...(d.generated
        ? [
            `Without fresh reports (${d.generated.accounts} accounts, no report present, generation needing ${details.sizes.live.reportPolls} polls, the collector's default poll backoff): ` +
              `${d.generated.totalSeconds.toFixed(2)} s, ${d.generated.failed} failed, calls per scanned account ${JSON.stringify(d.generated.callHistogram)} (mean ${d.generated.callsPerAccount.toFixed(2)}).`,
            '',
          ]
        : []),
    );
  }
  const t = report.throttled;
  if (t && details.throttled) {
    const d = details.throttled;
    lines.push(row(['throttled', 'zero failed accounts', String(t.failedAccounts), verdict(t.failedAccounts === 0)]));
    lines.push(row(['throttled', `at least 80% of ${t.allowedRps} AssumeRole/s`, `${t.achievedRps}/s (${Math.round((100 * t.achievedRps) / t.allowedRps)}%)`, verdict(t.achievedRps >= 0.8 * t.allowedRps)]));
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
    lines.push(row(['scale', 'completes', `${d.scanned}/${s.accounts} scanned, ${d.failed} failed, ${s.seconds} s`, verdict(d.failed === 0 && d.scanned === s.accounts)]));
    const heapGrowth = rssGrowthMb(d.heapSamples);
    lines.push(row(['scale', 'RSS bounded and flat in the number of accounts', `peak ${s.peakRssMb} MiB; after warm-up RSS grew ${growth ?? 'n/a'} MiB, heap ${heapGrowth ?? 'n/a'} MiB`, verdict(growth !== undefined && growth < 64)]));
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
  return `${[...lines, '', ...notes].join('\n').trimEnd()}\n`;
}
