/**
 * Worker threads (`--jobs`, issue 18 item 6): the same scan run on this thread and in worker
 * threads writes the same bytes, every file; a failing worker is one line of error and an exit
 * code, never a stack trace or a hang. Runs the built binary (workers are compiled modules):
 * `npm run build` first. CREDWARDEN_WORKERS_AFTER_PRINCIPALS=0 starts the workers at the first
 * account, so that small fixtures use them.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

/** Runs the binary; resolves with its exit code and output (a non-zero exit is an answer). */
async function credwarden(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(ROOT, 'bin/credwarden.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Saved reports: the example organisation, the real-world reports and the injection fixture, in one folder. */
function reportsFolder(): string {
  const dir = join(tempDir(), 'reports');
  mkdirSync(dir);
  for (const source of ['examples/org', 'test/fixtures/real-world-credential-reports', 'test/fixtures/injection'])
    for (const file of readdirSync(join(ROOT, source)).filter((f) => f.endsWith('.csv'))) cpSync(join(ROOT, source, file), join(dir, file));
  return dir;
}

const WAIVERS = [
  'waivers:',
  '  - rule: "*"',
  '    account: "222222222222"',
  '    principal: "*"',
  '    reason: accepted for the test',
  '    expires: 2026-12-01',
  '    approvedBy: someone',
  '  - rule: "*"',
  '    account: "000000000000"',
  '    principal: "*"',
  '    reason: never matches (stale)',
  '    expires: 2026-12-01',
].join('\n');

const FORMATS = 'json,csv,markdown,sarif,junit,text,html,asff,ocsf,xlsx';

/** Every file of a folder: its bytes, or for a workbook (zip entries carry their write time) its cells. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, name));
    if (!name.endsWith('.xlsx')) {
      files[name] = bytes.toString('utf8');
      continue;
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    files[name] = JSON.stringify(workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues()]));
  }
  return files;
}

describe('credwarden scan --jobs', { timeout: 240_000 }, () => {
  it('writes every report byte for byte as one thread does, whatever the worker count and when workers start', async () => {
    const work = tempDir();
    const reports = reportsFolder();
    const waivers = join(work, 'waivers.yaml');
    writeFileSync(waivers, WAIVERS);
    const common = [
      'scan',
      '--from',
      reports,
      '--pack',
      'complete',
      '--as-of',
      '2026-11-01T12:00:00Z',
      '--format',
      FORMATS,
      '--waivers',
      waivers,
    ];
    // A baseline from another scan (later, without waivers, another pack), so findings are new, existing and resolved.
    const before = await credwarden([
      'scan',
      '--from',
      reports,
      '--as-of',
      '2027-06-01T00:00:00Z',
      '--format',
      'json',
      '--output',
      join(work, 'before.json'),
    ]);
    expect(before.code, before.stderr).toBe(0);
    const runs = [
      { name: 'one', jobs: '1', after: '0' },
      { name: 'two', jobs: '2', after: '0' },
      { name: 'three-late', jobs: '3', after: '20' },
    ];
    const outputs: Record<string, Record<string, string>> = {};
    for (const run of runs) {
      const out = join(work, run.name);
      const { code, stderr } = await credwarden(
        [...common, '--baseline', join(work, 'before.json'), '--output-dir', out, '--jobs', run.jobs, '--verbose'],
        {
          CREDWARDEN_WORKERS_AFTER_PRINCIPALS: run.after,
        },
      );
      expect(code, stderr).toBe(0);
      // The workers did take accounts (never with --jobs 1).
      expect(stderr.includes('worker threads take the accounts'), run.name).toBe(run.jobs !== '1');
      outputs[run.name] = await filesOf(out);
    }
    const one = outputs.one as Record<string, string>;
    expect(Object.keys(one)).toEqual(
      expect.arrayContaining(['credwarden.json', 'credwarden.md', 'credwarden-controls.csv', 'credwarden.xlsx']),
    );
    expect(one['credwarden.json']).toContain('"status":"waived"');
    expect(one['credwarden.json']).toContain('"resolved":[\n');
    for (const name of ['two', 'three-late']) {
      const other = outputs[name] as Record<string, string>;
      expect(Object.keys(other), name).toEqual(Object.keys(one));
      for (const file of Object.keys(one)) expect(other[file], `${name}: ${file}`).toBe(one[file]);
    }
  });

  it('writes the same report to standard output', async () => {
    const reports = reportsFolder();
    const args = ['scan', '--from', reports, '--as-of', '2026-11-01T12:00:00Z', '--format', 'text'];
    const one = await credwarden([...args, '--jobs', '1']);
    const two = await credwarden([...args, '--jobs', '2'], { CREDWARDEN_WORKERS_AFTER_PRINCIPALS: '0' });
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toContain('no findings');
  });

  it.each([
    ['throws', 'throw', /^credwarden: unexpected error: injected worker fault \(CREDWARDEN_WORKER_FAULT=throw\)$/m],
    ['exits', 'exit', /^credwarden: unexpected error: a scan worker stopped unexpectedly \(exit code 70\)$/m],
  ])('a worker that %s stops the scan with one line of error and exit 2, writing no report', async (_how, fault, line) => {
    const out = join(tempDir(), 'out');
    const { code, stderr } = await credwarden(
      ['scan', '--from', reportsFolder(), '--format', 'json,markdown', '--output-dir', out, '--jobs', '2'],
      { CREDWARDEN_WORKERS_AFTER_PRINCIPALS: '0', CREDWARDEN_WORKER_FAULT: fault },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(line);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(() => readdirSync(out)).toThrow();
  });

  it('is documented in --help and refuses a count that is not a whole number of threads', async () => {
    expect((await credwarden(['scan', '--help'])).stdout).toContain('--jobs <n>');
    const zero = await credwarden(['scan', '--from', 'examples/org', '--jobs', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("'0' is not a positive whole number of threads");
  });
});
