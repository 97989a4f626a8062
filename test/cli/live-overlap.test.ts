/**
 * Live accounts are processed as they are collected (issue 18 item 1): the scan's first account
 * is evaluated, planned and spooled while the other accounts cannot be collected yet. Proved by
 * cause, not by timing: a proxy in front of the sandbox holds every AssumeRole (so no member
 * account can be collected) until a report spool of the scan has bytes in it, which only a
 * processed account puts there. A scan that processed nothing before collecting everything
 * would wait for the proxy's fallback release, and the test fails. Runs the built binary (so
 * the worker threads are the compiled ones): `npm run build` first.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { generateOrganization, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

/** Runs a process to its end; a non-zero exit (the gate's 1) is an answer, not a failure. */
async function execTolerant(file: string, args: string[], options: Parameters<typeof exec>[2]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await exec(file, args, options);
    return { code: 0, stderr: String(stderr) };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stderr: e.stderr ?? '' };
  }
}
/** How long the proxy holds AssumeRole at most: only a scan that does not overlap ever waits this long. */
const FALLBACK_MS = 60_000;

let box: SandboxHandle | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  proxy?.close();
  await box?.close();
});

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => done(Buffer.concat(parts)));
    req.on('error', fail);
  });
}

/** Whether any spool of a scan under `tmp` holds bytes (an account's processed report chunks). */
function spooled(tmp: string): boolean {
  for (const dir of readdirSync(tmp).filter((d) => d.startsWith('credwarden-'))) {
    const path = join(tmp, dir);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)) if (statSync(join(path, file), { throwIfNoEntry: false })?.size) return true;
  }
  return false;
}

/**
 * A proxy to the sandbox that holds every AssumeRole until `release()` says so (or the fallback
 * passes); signatures stay valid because the Host header and body are forwarded unchanged.
 */
async function holdingProxy(target: string, release: () => boolean): Promise<{ url: string; released: () => string | undefined }> {
  let releasedBy: string | undefined;
  const started = Date.now();
  const gate = new Promise<void>((open) => {
    const timer = setInterval(() => {
      if (release()) releasedBy = 'a processed account';
      else if (Date.now() - started > FALLBACK_MS) releasedBy = 'the fallback';
      if (releasedBy) {
        clearInterval(timer);
        open();
      }
    }, 20);
  });
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      if (body.toString('utf8').includes('Action=AssumeRole&')) await gate;
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    })();
  });
  await new Promise<void>((listening) => proxy?.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, released: () => releasedBy };
}

describe('a live scan processes accounts while it collects the others', { timeout: 180_000 }, () => {
  it.each([
    ['on this thread', '1'],
    // A live scan keeps two of --jobs for the collection thread and the main thread: 3 gives one worker.
    ['in worker threads', '3'],
  ])('%s', async (_where, jobs) => {
    box = await startSandbox({
      fixture: generateOrganization({ accounts: 6, usersPerAccount: 20, seed: 3 }),
      latencyMs: 5,
      recordCalls: false,
    });
    const tmp = join(tempDir(), 'tmp');
    mkdirSync(tmp);
    const held = await holdingProxy(box.endpoint, () => spooled(tmp));
    const out = join(tempDir(), 'out');
    const { code, stderr } = await execTolerant(
      process.execPath,
      [join(ROOT, 'bin/credwarden.js'), 'scan', '--org', '--format', 'json', '--output-dir', out, '--jobs', jobs, '--verbose'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NO_COLOR: '1',
          TMPDIR: tmp,
          AWS_ENDPOINT_URL: held.url,
          AWS_ACCESS_KEY_ID: box.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: box.credentials.secretAccessKey,
          AWS_REGION: 'us-east-1',
          CREDWARDEN_WORKERS_AFTER_PRINCIPALS: '0',
        },
      },
    );
    expect(code, stderr).toBeLessThan(2);
    expect(held.released()).toBe('a processed account');
    expect(stderr.includes('worker threads take the accounts')).toBe(jobs !== '1');
    // Every account was then collected and reported.
    const result = JSON.parse(readFileSync(join(out, 'credwarden.json'), 'utf8')) as { summary: { accounts: { scanned: number } } };
    expect(result.summary.accounts.scanned).toBe(6);
  });
});

describe('worker threads end with the process', { timeout: 180_000 }, () => {
  it('Ctrl-C (SIGINT) during a scan ends the process, workers and all, and leaves no spool behind', async () => {
    const tmp = join(tempDir(), 'tmp');
    mkdirSync(tmp);
    const spoolFolders = (): string[] => readdirSync(tmp).filter((d) => d.startsWith('credwarden-'));
    box = await startSandbox({
      fixture: generateOrganization({ accounts: 40, usersPerAccount: 5, seed: 4 }),
      latencyMs: 100,
      recordCalls: false,
    });
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/credwarden.js'),
        'scan',
        '--org',
        '--concurrency',
        '1',
        '--format',
        'json',
        '--output-dir',
        join(tempDir(), 'out'),
        '--jobs',
        '3',
        '--verbose',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NO_COLOR: '1',
          AWS_ENDPOINT_URL: box.endpoint,
          AWS_ACCESS_KEY_ID: box.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: box.credentials.secretAccessKey,
          AWS_REGION: 'us-east-1',
          CREDWARDEN_WORKERS_AFTER_PRINCIPALS: '0',
          TMPDIR: tmp,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    let stderr = '';
    await new Promise<void>((started) =>
      child.stderr.on('data', (text: Buffer) => {
        stderr += text.toString('utf8');
        if (stderr.includes('worker threads take the accounts')) started();
      }),
    );
    expect(spoolFolders()).toHaveLength(1);
    child.kill('SIGINT');
    // The scan had about 40 × 2 calls × 100 ms left: it ends now instead, and never writes the reports.
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    // Spools hold processed report data: the signal removed them before ending the process.
    expect(spoolFolders()).toEqual([]);
  });
});
