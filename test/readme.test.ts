/**
 * Every credwarden command in the README's `sh` blocks works when copied into a fresh clone
 * (issue 13): the commands run in order, in a copy of the repository's files, so a command
 * may use what an earlier one wrote but nothing that only exists on a developer's machine.
 * Commands that talk to AWS run against the sandbox organisation (nothing calls real AWS).
 * Runs the built binary: `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from '../src/sandbox/index.js';
import { tempDir } from './helpers/cli.js';

const run = promisify(execFile);
const root = resolve('.');

/** The credwarden commands of the README's sh blocks, continuation lines joined, in order. */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  let inSh = false;
  let pending = '';
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) {
      inSh = !inSh && /^```(sh|bash|shell)\s*$/.test(line);
      pending = '';
      continue;
    }
    if (!inSh) continue;
    const text = pending + line.trim();
    if (text.endsWith('\\')) {
      pending = `${text.slice(0, -1)} `;
      continue;
    }
    pending = '';
    const command = text
      .split('&&')
      .map((part) => part.trim())
      .find((part) => /^(npx )?credwarden\b/.test(part));
    if (command) commands.push(command.replace(/\s+#.*$/, ''));
  }
  return commands;
}

/** Whether a command needs AWS (a live scan, explain without saved evidence, publishing). */
function needsAws(command: string): boolean {
  const args = command.replace(/^(npx )?credwarden\s+/, '');
  if (/^publish\b/.test(args)) return true;
  return /^(scan|explain)\b/.test(args) && !/--(from|demo|snapshot)\b/.test(args);
}

/** A gate may legitimately fail on the example organisation: exit 1 is the gate's answer. */
function gates(command: string): boolean {
  return /--fail-on|--strict/.test(command);
}

let clone = '';
let box: SandboxHandle | undefined;

beforeAll(async () => {
  clone = tempDir();
  // The repository's files (tracked and new, not ignored), as a fresh clone has them, plus the build.
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    try {
      copyFileSync(join(root, file), join(clone, file));
    } catch {
      // deleted in the working tree but not yet in git
    }
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  symlinkSync(join(root, 'dist'), join(clone, 'dist'));
  box = await startSandbox({ fixture: loadFixture(join(root, DEMO_FIXTURE_PATH)) });
});

afterAll(async () => {
  await box?.close();
});

describe('README commands', () => {
  const commands = readmeCommands(readFileSync('README.md', 'utf8'));

  it('finds the commands (the extraction itself works)', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(commands).toContain('npx credwarden scan --demo');
  });

  it('each works when copied, in order, into a fresh clone', { timeout: 240_000 }, async () => {
    const failures: string[] = [];
    for (const command of commands) {
      const live = needsAws(command);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: clone,
        NO_COLOR: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Placeholders the README uses in commands.
        EXTERNAL_ID: 'example-external-id',
        ...(live && box
          ? {
              AWS_ENDPOINT_URL: box.endpoint,
              AWS_ACCESS_KEY_ID: box.credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: box.credentials.secretAccessKey,
              AWS_REGION: 'us-east-1',
              CREDWARDEN_REQUEST_TIMEOUT: '10s',
            }
          : {
              AWS_ACCESS_KEY_ID: '',
              AWS_SECRET_ACCESS_KEY: '',
              AWS_SHARED_CREDENTIALS_FILE: join(clone, 'no-credentials'),
              AWS_CONFIG_FILE: join(clone, 'no-config'),
            }),
      };
      const shell = command.replace(/^(npx )?credwarden\b/, `node "${join(clone, 'bin/credwarden.js')}"`);
      const outcome = await run('sh', ['-c', shell], { cwd: clone, env, maxBuffer: 64 * 2 ** 20 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
      );
      // Against the sandbox, a live command may also find part of the organisation unreachable
      // (exit 3: e.g. no publishing role in the sandbox accounts); it must never be a usage or input error.
      const allowed = outcome.code === 0 || (outcome.code === 1 && gates(command)) || (live && outcome.code === 3);
      // Placeholder ids of live examples (an OU of the reader's organisation) do not exist in the sandbox.
      const placeholder =
        live &&
        outcome.code === 2 &&
        /is not in the organisation|not found in the organisation|no OU|unknown OU|ou-ab12-cdef3456/.test(outcome.stderr);
      if (!allowed && !placeholder)
        failures.push(`${command}\n    exit ${outcome.code}: ${outcome.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
    }
    expect(failures).toEqual([]);
  });
});
