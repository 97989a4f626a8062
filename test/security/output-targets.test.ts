/**
 * Issue 20 item 1: `-o` writes to its target, never replaces it. Regular files and new paths are
 * replaced atomically; a symlink is written through; FIFOs, devices and standard output are
 * written in place; an output that is one of the command's inputs is refused before anything
 * is read. The stdout cases run the built binary (npm run build).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

const ORG = resolve('examples/org');
const REPORT = join(ORG, '222222222222-payments-prod.2026-11-01T120000Z.csv');
const AS_OF = ['--as-of', '2026-11-02T00:00:00Z'];

function copyOfOrg(): string {
  const dir = join(tempDir(), 'org');
  mkdirSync(dir);
  for (const name of readdirSync(ORG)) if (name.endsWith('.csv')) copyFileSync(join(ORG, name), join(dir, name));
  return dir;
}

describe('-o writes to its target', () => {
  it('writes through a symlink: the link stays, its target gets the report', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    const run = await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', 'link.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real.json'), 'utf8')).schemaVersion).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'real.json']);
  });

  it('creates the target of a dangling symlink', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    symlinkSync('sub/new.json', join(dir, 'link.json'));
    const run = await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', 'link.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'sub/new.json')).size).toBeGreaterThan(1000);
  });

  it('writes into a FIFO, whose reader gets the whole report, and leaves it a FIFO', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo on this system
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let received = '';
    reader.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((done) => reader.on('close', done));
    const run = await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', fifo]);
    await closed;
    expect(run.code).toBe(0);
    expect(JSON.parse(received).schemaVersion).toBeGreaterThan(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('-o /dev/full fails with ENOSPC and exit 2, never "wrote", and /dev/full stays a device', async () => {
    if (!existsSync('/dev/full')) return;
    const run = await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', '/dev/full']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/dev/full');
    expect(run.stderr).toContain('no space left on the device (ENOSPC)');
    expect(run.stderr).not.toContain('wrote');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('-o /dev/null discards the report without replacing the device', async () => {
    const run = await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', '/dev/null']);
    expect(run.code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('-o /dev/stdout (built binary) puts the report on standard output, for every writer', () => {
    if (!existsSync('/dev/stdout')) return;
    const scan = spawnSync(
      process.execPath,
      ['bin/credwarden.js', 'scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', '/dev/stdout', '-q'],
      {
        encoding: 'utf8',
      },
    );
    expect(scan.status).toBe(0);
    expect(JSON.parse(scan.stdout).schemaVersion).toBeGreaterThan(0);
    const dir = tempDir();
    const result = join(dir, 'r.json');
    writeFileSync(result, scan.stdout);
    const trend = spawnSync(process.execPath, ['bin/credwarden.js', 'trend', result, '-o', '/dev/stdout'], { encoding: 'utf8' });
    expect(trend.status).toBe(0);
    expect(trend.stdout.length).toBeGreaterThan(0);
    expect(statSync('/dev/stdout').isFile()).toBe(false);
  });

  it('--output-dir files and --save-snapshot write through symlinks too', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'kept.json'), 'old');
    symlinkSync('../kept.json', join(dir, 'out/credwarden.json'));
    writeFileSync(join(dir, 'snap-real.json'), 'old');
    symlinkSync('snap-real.json', join(dir, 'snap.json'));
    const run = await cli(
      ['scan', '--from', REPORT, ...AS_OF, '--format', 'json,csv', '--output-dir', 'out', '--save-snapshot', 'snap.json'],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(lstatSync(join(dir, 'out/credwarden.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toContain('"schemaVersion"');
    expect(lstatSync(join(dir, 'snap.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'snap-real.json'), 'utf8')).toContain('"accounts"');
  });
});

describe('an output that is an input is refused before anything is read', () => {
  const refused = (run: { code: number; stdout: string; stderr: string }) => {
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('would write over an input of this command');
    expect(run.stderr).not.toContain('wrote');
  };

  it('-o naming the --from report, the same file by a symlink or a hard link, or a report inside a --from folder', async () => {
    const org = copyOfOrg();
    const report = join(org, '222222222222-payments-prod.2026-11-01T120000Z.csv');
    const before = readFileSync(report, 'utf8');
    refused(await cli(['scan', '--from', report, '--format', 'json', '-o', report]));
    refused(await cli(['scan', '--from', org, '--format', 'csv', '-o', report]));
    const link = join(tempDir(), 'alias.csv');
    symlinkSync(report, link);
    refused(await cli(['scan', '--from', link, '--format', 'csv', '-o', report]));
    const hard = join(tempDir(), 'hard.csv');
    linkSync(report, hard);
    refused(await cli(['scan', '--from', hard, '--format', 'csv', '-o', report]));
    expect(readFileSync(report, 'utf8')).toBe(before);
  });

  it('--waivers, --config, --baseline, --save-snapshot and --output-dir clashes; trend, diff, merge, plan results', async () => {
    const dir = tempDir();
    const result = join(dir, 'credwarden.json');
    expect((await cli(['scan', '--from', REPORT, ...AS_OF, '--format', 'json', '-o', result])).code).toBe(0);
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(waivers, 'waivers: []\n');
    const config = join(dir, 'credwarden.config.yaml');
    writeFileSync(config, 'failOn: none\n');
    const before = readFileSync(result, 'utf8');
    refused(await cli(['scan', '--from', REPORT, '--waivers', waivers, '--format', 'json', '-o', waivers]));
    refused(await cli(['scan', '--from', REPORT, '--config', config, '--format', 'json', '-o', config]));
    // The config file read by default, without --config
    refused(await cli(['scan', '--from', REPORT, '--format', 'json', '-o', 'credwarden.config.yaml'], { cwd: dir }));
    refused(await cli(['scan', '--from', REPORT, '--baseline', result, '--format', 'json', '-o', result]));
    refused(await cli(['scan', '--from', REPORT, '--baseline', result, '--format', 'json,csv', '--output-dir', dir]));
    refused(await cli(['scan', '--from', REPORT, '--baseline', result, '--format', 'json', '--save-snapshot', result]));
    refused(await cli(['trend', result, '-o', result]));
    refused(await cli(['diff', result, result, '-o', result]));
    refused(await cli(['merge', result, '-o', result]));
    refused(await cli(['plan', result, '-o', result]));
    expect(readFileSync(result, 'utf8')).toBe(before);
  });
});
