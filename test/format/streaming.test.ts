import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Ajv04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { jsonChunks, LazyArray, RawJson } from '../../src/core/format/json-stream.js';
import { formatMarkdown, INLINE_PLAN_PRINCIPALS, PLANS_FILE } from '../../src/core/format/markdown.js';
import { TARGETS_FILE } from '../../src/core/format/plans/campaigns.js';
import { markdownFormatter } from '../../src/core/format/markdown.js';
import { formatSarif, SARIF_LIMITS } from '../../src/core/format/sarif.js';
import { renderToString } from '../../src/core/format/types.js';
import { writeChunks } from '../../src/cli/io.js';
import { formatControlsCsv } from '../../src/core/format/csv.js';
import { formatJobSummary } from '../../src/core/format/github.js';
import { CONTEXT, exampleResult } from './helpers.js';
import { seededRandom } from '../../src/sandbox/random.js';

/** The example result grown to `count` findings over `accounts` accounts, each principal distinct. */
async function grown(count: number, accounts = 35): Promise<ScanResult> {
  const base = await exampleResult();
  const template = base.findings;
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const f = template[i % template.length] as Finding;
    const accountId = String(100_000_000_000 + (i % accounts));
    const name = `user-${i}`;
    findings.push({
      ...f,
      accountId,
      principal: { type: 'user', name, arn: `arn:aws:iam::${accountId}:user/${name}` },
      fingerprint: i.toString(16).padStart(32, '0'),
    });
  }
  const accountList = Array.from({ length: accounts }, (_, i) => ({
    id: String(100_000_000_000 + i),
    status: 'scanned' as const,
    principals: Math.ceil(count / accounts),
  }));
  return { ...base, accounts: accountList, findings };
}

/** Characters JSON escapes, or that look like it must: quotes, controls, lone and paired surrogates, line separators. */
const HOSTILE = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'é',
  'a',
  ' ',
  '{',
  ']',
];

function randomString(random: () => number): string {
  let text = '';
  const length = Math.floor(random() * 8);
  for (let i = 0; i < length; i++) text += HOSTILE[Math.floor(random() * HOSTILE.length)];
  return text;
}

/**
 * A random value to stream and its plain twin (what JSON.stringify is given): the same but with
 * every LazyArray an array and every RawJson its value. Holds the values JSON treats specially: undefined, functions, NaN,
 * -0, Infinity, dates, empty containers.
 */
function randomPair(random: () => number, depth: number): [unknown, unknown] {
  const kind = Math.floor(random() * (depth > 0 ? 13 : 8));
  if (kind === 12) {
    // Text written beforehand, for the depth it is placed at or another one.
    // (Not for undefined or a function: a member that JSON leaves out has no text.)
    const [, plain] = randomPair(random, depth - 1);
    return plain === undefined || typeof plain === 'function' ? [plain, plain] : [RawJson.of(plain, Math.floor(random() * 8)), plain];
  }
  const leaves: unknown[] = [null, true, -0, NaN, Infinity, 1.5e-7, 123456789.123, new Date(0), undefined, () => 1];
  if (kind < 4) {
    const text = randomString(random);
    return [text, text];
  }
  if (kind < 8) {
    const leaf = leaves[Math.floor(random() * leaves.length)];
    return [leaf, leaf];
  }
  const size = Math.floor(random() * 4);
  const pairs = Array.from({ length: size }, () => randomPair(random, depth - 1));
  if (kind < 10) {
    const streamed: Record<string, unknown> = {};
    const plain: Record<string, unknown> = {};
    for (const [i, [s, p]] of pairs.entries()) {
      const key = `${randomString(random)}${i}`;
      streamed[key] = s;
      plain[key] = p;
    }
    return [streamed, plain];
  }
  const plain = pairs.map(([, p]) => p);
  return kind === 10 ? [pairs.map(([s]) => s), plain] : [new LazyArray(() => pairs.map(([s]) => s)), plain];
}

describe('JSON written in pieces', () => {
  it('is exactly JSON.stringify(value, null, 2), for the result and for edge cases', async () => {
    const result = await exampleResult();
    expect(renderToString(jsonChunks(result))).toBe(`${JSON.stringify(result, null, 2)}\n`);
    const odd = { a: [], b: {}, c: undefined, d: [undefined, 1, { e: [[]] }], f: 'x\n"y"', g: null, h: [{ i: undefined }] };
    expect(renderToString(jsonChunks(odd))).toBe(`${JSON.stringify(odd, null, 2)}\n`);
  });

  it('writes a lazy array element by element, nested anywhere', () => {
    const value = { runs: [{ tool: 'x', results: new LazyArray(() => [1, { a: 2 }, 'three']) }] };
    const plain = { runs: [{ tool: 'x', results: [1, { a: 2 }, 'three'] }] };
    expect(renderToString(jsonChunks(value))).toBe(`${JSON.stringify(plain, null, 2)}\n`);
  });

  it('equals JSON.stringify(value, null, 2) for random nested values with hostile strings, at any depth', () => {
    const random = seededRandom(18);
    for (let i = 0; i < 300; i++) {
      // A document: an object at the top, anything below it.
      const [streamed, plain] = randomPair(random, 6);
      expect(renderToString(jsonChunks({ streamed }))).toBe(`${JSON.stringify({ streamed: plain }, null, 2)}\n`);
    }
  });

  it('never makes a piece larger than one element of a top-level list (a finding, a plan)', async () => {
    const result = await grown(2000);
    const elements = [...result.findings, ...result.plans, ...result.rules, ...result.accounts];
    const largestFinding = Math.max(...elements.map((e) => JSON.stringify(e, null, 2).length));
    let largest = 0;
    for (const chunk of jsonChunks(result)) largest = Math.max(largest, chunk.length);
    expect(largest).toBeLessThanOrEqual(largestFinding * 1.2);
  });
});

describe('writeChunks', () => {
  it('pulls the next piece only when the stream has room (backpressure)', async () => {
    let pulled = 0;
    let pulledAtFirstWrite = -1;
    function* pieces(): Generator<string> {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield 'x'.repeat(32 * 1024);
      }
    }
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(_chunk, _encoding, done) {
        if (pulledAtFirstWrite < 0) pulledAtFirstWrite = pulled;
        setImmediate(done);
      },
    });
    await writeChunks(pieces(), sink);
    expect(pulled).toBe(200);
    // The first batch was written after two 32 KiB pieces, not after all 200.
    expect(pulledAtFirstWrite).toBeLessThanOrEqual(3);
  });

  it('rejects when the stream fails', async () => {
    const sink = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, done) {
        done(new Error('ENOSPC'));
      },
    });
    sink.on('error', () => undefined);
    await expect(writeChunks(['a'.repeat(70_000), 'b'.repeat(70_000)], sink)).rejects.toThrow('ENOSPC');
  });
});

describe('Markdown at organisation scale', () => {
  it('stays under 5 MiB for 70,000 findings, with the plans in their own file', async () => {
    const result = await grown(70_000);
    let size = 0;
    for (const chunk of formatMarkdown(result, { ...CONTEXT, companions: true })) size += Buffer.byteLength(chunk);
    expect(size).toBeLessThanOrEqual(5 * 1024 * 1024);
    const companions = markdownFormatter.companions?.(result, { ...CONTEXT, companions: true }) ?? [];
    expect(companions.map((c) => [c.name, c.chunks !== undefined])).toEqual([
      [PLANS_FILE, true],
      [TARGETS_FILE, true],
    ]);
  });

  it('keeps the plans in the report while they are few', async () => {
    const result = await grown(INLINE_PLAN_PRINCIPALS);
    const text = renderToString(formatMarkdown(result, CONTEXT));
    expect(text).toContain('## Remediation plans\n\n> credwarden never executes');
    expect(markdownFormatter.companions?.(result, CONTEXT)[0]?.chunks).toBeUndefined();
  });

  it('orders the sections: summary, controls, accounts, findings by severity', async () => {
    const text = renderToString(formatMarkdown(await exampleResult(), CONTEXT));
    const at = (heading: string) => text.indexOf(`\n${heading}\n`);
    const order = [
      '## Summary',
      '## Controls',
      '## Accounts',
      '## Findings',
      '### Critical (2 open)',
      '### High (2 open)',
      '### Medium (12 open)',
      '### Low (2 open)',
      '## Remediation plans',
    ].map(at);
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

// The official SARIF 2.1.0 schema (draft-04).
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8')) as object;
const Ajv04 = ((Ajv04Module as unknown as { default?: typeof Ajv04Module.default }).default ?? Ajv04Module) as typeof Ajv04Module.default;
const validate = new Ajv04({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

describe('SARIF within GitHub code scanning limits', () => {
  it(`keeps at most ${SARIF_LIMITS.resultsPerRun} results, most severe open findings first, and counts the rest`, async () => {
    const result = await grown(SARIF_LIMITS.resultsPerRun + 500);
    // Make the last findings critical: they must be kept although they come last.
    for (const f of result.findings.slice(-10)) f.severity = 'critical';
    const log = JSON.parse(renderToString(formatSarif(result, CONTEXT))) as {
      runs: {
        results: { properties: { severity: string } }[];
        properties: { resultsOmitted: number; resultsOmittedBySeverity: Record<string, number> };
      }[];
    };
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run?.results).toHaveLength(SARIF_LIMITS.resultsPerRun);
    expect(run?.results.filter((r) => r.properties.severity === 'critical').length).toBe(
      result.findings.filter((f) => f.severity === 'critical').length,
    );
    expect(run?.properties.resultsOmitted).toBe(500);
    const omitted = Object.values(run?.properties.resultsOmittedBySeverity ?? {}).reduce((a, b) => a + b, 0);
    expect(omitted).toBe(500);
    expect(run?.properties.resultsOmittedBySeverity.critical).toBe(0);
  });
});

describe('SARIF within its byte budget', () => {
  it('leaves out the results past the budget, by their compact JSON, most severe open findings kept', async () => {
    // 7,000 results of about 10 KB: past the budget although far below the result limit.
    const result = await grown(7000);
    const padding = 'x'.repeat(10_000);
    for (const [i, f] of result.findings.entries()) {
      f.message = `${f.message} ${padding}`;
      f.severity = i % 2 === 0 ? 'low' : 'high';
      f.status = 'open';
    }
    const log = JSON.parse(renderToString(formatSarif(result, CONTEXT))) as {
      runs: { results: { properties: { severity: string } }[]; properties: { resultsOmitted: number } }[];
    };
    const run = log.runs[0];
    const kept = run?.results ?? [];
    const compact = kept.reduce((sum, r) => sum + JSON.stringify({ ...r, ruleIndex: 0 }).length, 0);
    expect(compact).toBeLessThanOrEqual(SARIF_LIMITS.resultBytes);
    expect(kept.length).toBeGreaterThan(5000);
    expect(run?.properties.resultsOmitted).toBe(7000 - kept.length);
    expect(kept.filter((r) => r.properties.severity === 'high')).toHaveLength(3500);
  });
});

describe('control matrix with many failed accounts, each for its own reason', () => {
  it('lists a few reasons per rule and counts the rest, in Markdown and the job summary; CSV keeps them all', async () => {
    const result = await exampleResult();
    const notEvaluated = Array.from({ length: 700 }, (_, i) => ({
      accountId: String(100_000_000_000 + i),
      reason: `account failed: AccessDenied for role ${i}`,
    }));
    result.rules = result.rules.map((r) => ({ ...r, status: r.status === 'failed' ? 'failed' : 'not-evaluated', notEvaluated }));
    const markdown = renderToString(formatMarkdown(result, CONTEXT));
    const row = markdown.split('\n').find((l) => l.startsWith('| `no-recovery-path`'));
    expect(row).toContain('697 other reasons (see credwarden-controls.csv or the JSON result)');
    expect(row?.length).toBeLessThan(1000);
    const summary = renderToString(formatJobSummary(result, CONTEXT));
    expect(Buffer.byteLength(summary)).toBeLessThan(64 * 1024);
    const controlsCsv = renderToString(formatControlsCsv(result));
    expect(controlsCsv).toContain('AccessDenied for role 699 (1 account)');
  });
});
