/**
 * Worker threads (`--jobs`, issue 18 item 6): the same scan run on this thread and in worker
 * threads writes the same bytes, every file; a failing worker is one line of error and an exit
 * code, never a stack trace or a hang. Runs the built binary (workers are compiled modules):
 * `npm run build` first. CREDWARDEN_WORKERS_AFTER_PRINCIPALS=0 starts the workers at the first
 * account, so that small fixtures use them.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { workerPlan } from '../../src/cli/workers/dispatch.js';

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
      // Reports that may hold over 15 principals (by their size) stay on the main thread: both kinds in one run.
      { name: 'three-mixed', jobs: '3', after: '20', max: '15' },
    ];
    const outputs: Record<string, Record<string, string>> = {};
    const messages: Record<string, string> = {};
    for (const run of runs) {
      const out = join(work, run.name);
      const { code, stderr } = await credwarden(
        [...common, '--baseline', join(work, 'before.json'), '--output-dir', out, '--jobs', run.jobs, '--verbose'],
        { CREDWARDEN_WORKERS_AFTER_PRINCIPALS: run.after, CREDWARDEN_WORKER_MAX_PRINCIPALS: run.max ?? '20000' },
      );
      expect(code, stderr).toBe(0);
      // The workers did take accounts (never with --jobs 1).
      expect(stderr.includes('worker threads take the accounts'), run.name).toBe(run.jobs !== '1');
      messages[run.name] = stderr
        .replace(/^credwarden: worker threads take the accounts from here on \(\d\)\n/m, '')
        .replaceAll(out, 'OUT');
      outputs[run.name] = await filesOf(out);
    }
    const one = outputs.one as Record<string, string>;
    expect(Object.keys(one)).toEqual(
      expect.arrayContaining(['credwarden.json', 'credwarden.md', 'credwarden-controls.csv', 'credwarden.xlsx']),
    );
    expect(one['credwarden.json']).toContain('"status":"waived"');
    expect(one['credwarden.json']).toContain('"resolved":[\n');
    // Warnings (older reports, names IAM could not have written, --as-of before a report) in the same order.
    expect(messages.one).toMatch(
      /a newer report of account 644160558196[^]+'tick`name' breaks IAM's rules[^]+--as-of 2026-11-01T12:00:00Z is before/,
    );
    for (const name of ['two', 'three-mixed']) {
      expect(messages[name], name).toBe(messages.one);
      const other = outputs[name] as Record<string, string>;
      expect(Object.keys(other), name).toEqual(Object.keys(one));
      for (const file of Object.keys(one)) expect(other[file], `${name}: ${file}`).toBe(one[file]);
    }
  });

  it('reports bad saved reports among good ones with the same messages, in the same order, whatever the thread count', async () => {
    const dir = reportsFolder();
    const payments = readFileSync(join(ROOT, 'examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv'), 'utf8');
    const lines = (text: string) => text.split('\n');
    const edited = (id: string, edit: (rows: string[]) => void) => {
      const rows = lines(payments.replaceAll('222222222222', id));
      edit(rows);
      return rows.join('\n');
    };
    // Read and parsed by whichever thread takes them: a row with a field too many, a row of
    // another account (a tampered report), a date that is no date.
    writeFileSync(
      join(dir, '454545454545-fields.2026-11-01T120000Z.csv'),
      edited('454545454545', (r) => (r[2] += ',extra')),
    );
    writeFileSync(
      join(dir, '666666666666-tampered.2026-11-01T120000Z.csv'),
      edited('666666666666', (r) => (r[3] = (r[3] as string).replace('666666666666', '999999999999'))),
    );
    writeFileSync(
      join(dir, '777777777777-dates.2026-11-01T120000Z.csv'),
      edited('777777777777', (r) => (r[2] = (r[2] as string).replace('2025-06-19T12', '2025-13-45T12'))),
    );
    // Found bad by the main thread's first look: a FIFO, an impossible time in the name.
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    writeFileSync(join(dir, '888888888888-x.2026-02-31T120000Z.csv'), payments.replaceAll('222222222222', '888888888888'));
    // An older report of an account, not evaluated but still checked.
    mkdirSync(join(dir, 'old'));
    writeFileSync(
      join(dir, 'old', '454545454545-fields.2026-01-01T120000Z.csv'),
      edited('454545454545', (r) => (r[4] += ',x')),
    );
    const runs = [
      { jobs: '1', after: '0' },
      { jobs: '3', after: '0' },
      { jobs: '2', after: '20', max: '15' },
    ];
    const answers = [];
    for (const run of runs) {
      const out = join(tempDir(), 'out');
      const answer = await credwarden(
        ['scan', '--from', dir, '--format', 'json,sarif', '--output-dir', out, '--jobs', run.jobs, '--verbose'],
        { CREDWARDEN_WORKERS_AFTER_PRINCIPALS: run.after, CREDWARDEN_WORKER_MAX_PRINCIPALS: run.max ?? '20000' },
      );
      expect(answer.code, answer.stderr).toBe(2);
      expect(answer.stderr.includes('worker threads take the accounts'), run.jobs).toBe(run.jobs !== '1');
      expect(() => readdirSync(out)).toThrow();
      answers.push(answer.stderr.replace(/^credwarden: worker threads take the accounts from here on \(\d\)\n/m, ''));
    }
    const [one] = answers as [string];
    const problems = lines(one).filter((line) => line.includes(': error: '));
    expect(
      problems.map((line) =>
        line
          .replace(/^\s+/, '')
          .replace(/: error: .*/, '')
          .replace(dir, 'DIR'),
      ),
    ).toEqual([
      'DIR/888888888888-x.2026-02-31T120000Z.csv',
      'DIR/pipe.csv',
      'DIR/454545454545-fields.2026-11-01T120000Z.csv:3',
      'DIR/666666666666-tampered.2026-11-01T120000Z.csv:4',
      'DIR/777777777777-dates.2026-11-01T120000Z.csv:3:3 at /user_creation_time',
      'DIR/old/454545454545-fields.2026-01-01T120000Z.csv:5',
    ]);
    expect(one).not.toMatch(/\n\s+at /);
    for (const other of answers.slice(1)) expect(other).toBe(one);
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

  it('ends a scan that stops before its first account (bad rules) as one thread does, with workers started ahead', async () => {
    const rules = join(tempDir(), 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'broken.yaml'), 'id: Not A Rule\nseverity: extreme\n');
    const args = ['scan', '--from', reportsFolder(), '--rules', rules, '--format', 'json,markdown', '--output-dir', join(tempDir(), 'out')];
    const one = await credwarden([...args, '--jobs', '1']);
    const started = Date.now();
    const two = await credwarden([...args, '--jobs', '2', '--verbose'], { CREDWARDEN_WORKERS_AFTER_PRINCIPALS: '0' });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('broken.yaml');
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    // Workers that were started ahead and never given the run do not keep the process alive.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('is documented in --help and refuses a count that is not a whole number of threads', async () => {
    expect((await credwarden(['scan', '--help'])).stdout).toContain('--jobs <n>');
    const zero = await credwarden(['scan', '--from', 'examples/org', '--jobs', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("'0' is not a positive whole number of threads");
  });
});

describe('how many of --jobs are workers', () => {
  const threads = (jobs: number, busy: 0 | 1 | 2) => workerPlan({ jobs }, { env: {} }, busy).threads;

  it('offline every thread of --jobs is a worker; --jobs 1 is this thread alone', () => {
    expect([threads(1, 0), threads(2, 0), threads(4, 0)]).toEqual([0, 2, 4]);
  });

  it('live keeps one thread for collecting and processing on this thread, two with a collection thread', () => {
    expect([threads(2, 1), threads(4, 1)]).toEqual([1, 3]);
    // Two cores: the collection thread and this thread's processing are all the cores; a worker would be one thread too many.
    expect([threads(1, 2), threads(2, 2), threads(3, 2), threads(4, 2)]).toEqual([0, 0, 1, 2]);
  });
});
