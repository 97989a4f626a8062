/**
 * Start-up (issue 18 item 5): a command loads only what it uses. The built binary runs with module
 * hooks that log every module it resolves (test/helpers/import-log.mjs); timings live in
 * docs/performance.md ("Start-up"), never in a test. Runs the built binary: `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import { cli, tempDir } from '../helpers/cli.js';
import type { CliIO } from '../../src/cli/io.js';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

/** The modules (paths below dist/src, and package names) that `credwarden ARGS` loads. */
async function modulesLoadedBy(args: string[]): Promise<{ own: string[]; packages: string[]; urls: string[] }> {
  const log = join(tempDir(), 'imports.log');
  await exec(process.execPath, ['--import', join(ROOT, 'test/helpers/import-log.mjs'), join(ROOT, 'bin/credwarden.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CREDWARDEN_IMPORT_LOG: log, NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true' },
  }).catch((error: { code?: number }) => {
    // A gate's exit 1 is an answer, not a failure to start.
    if (error.code !== 1) throw error;
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return {
    urls,
    own: [...new Set(urls.flatMap((url) => /\/dist\/src\/(.+)$/.exec(url)?.[1] ?? []))],
    packages: [...new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []))],
  };
}

describe('what each command loads', { timeout: 120_000 }, () => {
  it('--version and --help load no command, no schema validator and no AWS SDK', async () => {
    for (const args of [['--version'], ['--help']]) {
      const { own, packages } = await modulesLoadedBy(args);
      expect(
        own.filter((m) => m.startsWith('cli/commands/')),
        args[0],
      ).toEqual([]);
      expect(
        packages.filter((p) => /^(@aws-sdk|@smithy|ajv|yaml)/.test(p)),
        args[0],
      ).toEqual([]);
    }
  });

  it('--version from the launcher is what the CLI itself prints', async () => {
    const launcher = await exec(process.execPath, [join(ROOT, 'bin/credwarden.js'), '--version'], { cwd: ROOT });
    const short = await exec(process.execPath, [join(ROOT, 'bin/credwarden.js'), '-V'], { cwd: ROOT });
    const cliItself = await cli(['--version']);
    expect(cliItself.code).toBe(0);
    expect(launcher.stdout).toBe(cliItself.stdout);
    expect(short.stdout).toBe(cliItself.stdout);
  });

  it('--help and -h from the launcher, piped, are what the CLI itself prints (dist/help.txt, rendered by the build)', async () => {
    const cliItself = await cli(['--help']);
    expect(cliItself.code).toBe(0);
    for (const flag of ['--help', '-h']) {
      const launcher = await exec(process.execPath, [join(ROOT, 'bin/credwarden.js'), flag], { cwd: ROOT });
      expect(launcher.stdout, flag).toBe(cliItself.stdout);
    }
  });

  it('the launcher answers --help from the rendered text only while it is newer than the CLI', async () => {
    // A stand-in install: the launcher beside a rendered text and a CLI that says who answered.
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
    cpSync(join(ROOT, 'bin/credwarden.js'), join(dir, 'bin/credwarden.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module","version":"0.0.0"}');
    writeFileSync(join(dir, 'dist/src/cli/run.js'), '');
    writeFileSync(
      join(dir, 'dist/src/cli/main.js'),
      'export async function main() { process.stdout.write(`cli ${process.argv.slice(2).join(" ")}\\n`); }',
    );
    const help = join(dir, 'dist/help.txt');
    writeFileSync(help, 'rendered\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'dist/src/cli/run.js'), past, past);
    const answer = async (...args: string[]) => (await exec(process.execPath, [join(dir, 'bin/credwarden.js'), ...args])).stdout;

    expect(await answer('--help')).toBe('rendered\n');
    expect(await answer('-h')).toBe('rendered\n');
    expect(await answer('scan', '--help')).toBe('cli scan --help\n');
    expect(await answer('--help', '--version')).toBe('cli --help --version\n');
    // dist/ rebuilt by tsc alone after the text was rendered: the text may be stale.
    utimesSync(help, past, new Date(Date.now() - 120_000));
    expect(await answer('--help')).toBe('cli --help\n');
    rmSync(help);
    expect(await answer('--help')).toBe('cli --help\n');
  });

  it('rules test on one rule and scan --from load no AWS SDK and no workbook writer', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'tests'));
    cpSync(join(ROOT, 'rules/root-mfa-disabled.yaml'), join(dir, 'root-mfa-disabled.yaml'));
    cpSync(join(ROOT, 'rules/tests/root-mfa-disabled.cases.yaml'), join(dir, 'tests/root-mfa-disabled.cases.yaml'));
    const rulesTest = await modulesLoadedBy(['rules', 'test', dir]);
    expect(rulesTest.own).toContain('cli/commands/rules.js');
    expect(rulesTest.packages.filter((p) => /^(@aws-sdk|@smithy|exceljs)/.test(p))).toEqual([]);
    // The validators are generated ajv code (src/core/validation/generated): ajv's compiler is
    // never loaded, only its small runtime helpers; and no result schema, which rules test never reads.
    expect(rulesTest.urls.filter((u) => /node_modules\/ajv\/dist\/(ajv|core)\.js$/.test(u))).toEqual([]);
    expect(rulesTest.own).toContain('core/validation/generated/rule-cases.js');
    expect(rulesTest.own.filter((m) => m.includes('generated/result') || m.includes('generated/legacy'))).toEqual([]);
    const offline = await modulesLoadedBy(['scan', '--from', 'examples/org', '--format', 'json', '--output', join(dir, 'r.json')]);
    expect(offline.own).toContain('cli/commands/scan.js');
    expect(offline.own.filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/scan.js')).toEqual([]);
    expect(offline.packages.filter((p) => /^(@aws-sdk|@smithy|exceljs)/.test(p))).toEqual([]);
  });

  it('a live scan does load the AWS SDK (the hooks see it)', async () => {
    const live = await modulesLoadedBy(['scan', '--demo', '--format', 'json', '--output', join(tempDir(), 'r.json')]);
    expect(live.packages).toContain('@aws-sdk/client-iam');
  });
});

describe('the command table', () => {
  const io = {
    stdout: () => {},
    stderr: () => {},
    env: {},
    cwd: ROOT,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => new Date(),
  } as CliIO;

  it("matches the commands' own names, usage and descriptions", async () => {
    const program = await buildProgram(io, () => {});
    const help = program.createHelp();
    expect(program.commands.map((c: Command) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    for (const entry of COMMANDS) {
      const command = program.commands.find((c: Command) => c.name() === entry.name) as Command;
      expect(command.description()).toBe(entry.description);
      expect(help.subcommandTerm(command)).toBe([entry.name, entry.usage].filter(Boolean).join(' '));
    }
  });

  it('--help, with no command loaded, reads as the help of the whole loaded program', async () => {
    const program = await buildProgram(io, () => {});
    const lazy = await cli(['--help']);
    expect(lazy.code).toBe(0);
    expect(lazy.stdout).toBe(program.helpInformation() + readAfterHelp(lazy.stdout));
  });

  it('merge --help lists only the exit codes merge can give', async () => {
    const help = (await cli(['merge', '--help'])).stdout;
    expect(help).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*--fail-on\n {2}2 /);
    expect(help).not.toMatch(/--fail-on-new|--allow-partial|incomplete scan/);
  });
});

/** The text that addHelpText('after') appends (exit codes and examples), identical either way. */
function readAfterHelp(text: string): string {
  return text.slice(text.indexOf('\nExit codes:'));
}
