import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Credential, Finding } from '../../src/model/index.js';
import { planFindings, type PrincipalPlan } from '../../src/core/remediation/index.js';
import { ACCOUNT, builtInCatalogue, finding, keyEvidence, result } from './helpers.js';

/*
 * Issue 20 item 3: every command of every plan is pasted into bash, with a fake `aws` on PATH
 * that records its argv. For each hostile name, the argv must be exactly the argv of the same
 * plan for a plain name, with the plain name replaced: the name is one argument, never an
 * option, a redirection or code.
 */

const HOSTILE_NAMES = [
  '--debug',
  '-h',
  '--user-name=x',
  '<X>',
  '<ACCESS_KEY_ID_1>',
  '>out',
  '<in',
  'a|b',
  'a;touch PWNED',
  '$(touch PWNED)',
  '`touch PWNED`',
  '${HOME}',
  "a'b",
  'a"b',
  'a b',
  'a\\b',
  'a\nb',
  'a\tb',
  '*',
  '~root',
  '#comment',
  '!x',
  '{a,b}',
  'a&b',
  'admin\u202egnp.exe',
  'admin\u200b',
  'é',
  '',
];

/** The plain name whose plan gives the argv that was meant. */
const PLAIN = 'plainuser7';

const catalogue = builtInCatalogue();
const work = mkdtempSync(join(tmpdir(), 'credwarden-paste-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fake aws: writes its argument count, then each argument, NUL-terminated, to $ARGV_LOG. */
const bin = join(work, 'bin');
spawnSync('mkdir', ['-p', bin]);
writeFileSync(join(bin, 'aws'), '#!/bin/sh\n{ printf \'%s\\0\' "$#"; for a in "$@"; do printf \'%s\\0\' "$a"; done; } >> "$ARGV_LOG"\n');
chmodSync(join(bin, 'aws'), 0o755);

/** One finding per procedure and credential it can be about, for a user and for root. */
function findings(name: string): Finding[] {
  const all: Finding[] = [];
  const credentials: Credential[] = [null, 'password', 'access_key_1', 'access_key_2', 'cert_1'];
  for (const procedure of catalogue.values()) {
    for (const type of procedure.appliesTo) {
      for (const credential of credentials) {
        const evidence = credential?.startsWith('access_key') ? keyEvidence(400, 3) : {};
        all.push(finding(`rule-${procedure.id}`, procedure.id, credential, evidence, { type, name: type === 'root' ? undefined : name }));
      }
    }
  }
  return all;
}

/** Every command of a plan, as it is printed: the account check, steps, alternatives, `$ ` checks. */
function commands(plan: PrincipalPlan): string[] {
  return [
    ...(plan.access ? [plan.access.check] : []),
    ...plan.steps.flatMap((s) => s.commands),
    ...plan.alternatives.flatMap((a) => a.steps.flatMap((s) => s.commands)),
    ...plan.verification.filter((v) => v.startsWith('$ ')).map((v) => v.slice(2)),
  ];
}

/** Each finding planned on its own (so every procedure's every step is printed), as commands. */
function planCommands(name: string): string[] {
  return findings(name).flatMap((f) => planFindings(result([f]), catalogue).accounts.flatMap((a) => a.plans.flatMap(commands)));
}

/** Positions of the first occurrence of each distinct plain command: the same positions are pasted for every name. */
function distinctPositions(lines: readonly string[]): number[] {
  const seen = new Set<string>();
  return lines.flatMap((line, i) => (seen.has(line) ? [] : (seen.add(line), [i])));
}

/**
 * Placeholders for the reader (`<TEMPORARY_PASSWORD>`) are what a person replaces before running
 * a command: replace them the same way, outside quotes only (a quoted `'<X>'` is a value).
 */
function fillReaderPlaceholders(command: string): string {
  let out = '';
  let i = 0;
  while (i < command.length) {
    const rest = command.slice(i);
    const quoted = /^(\$'(?:[^'\\]|\\.)*'|'[^']*'|"(?:[^"\\]|\\.)*")/.exec(rest);
    if (quoted) {
      out += quoted[0];
      i += quoted[0].length;
      continue;
    }
    const placeholder = /^<([A-Z][A-Z0-9_]*)>/.exec(rest);
    if (placeholder) {
      out += `PH_${placeholder[1]}`;
      i += placeholder[0].length;
      continue;
    }
    if (rest[0] === '\\') {
      out += rest.slice(0, 2);
      i += 2;
      continue;
    }
    out += rest[0];
    i += 1;
  }
  return out;
}

/** Pastes the commands into bash in a fresh folder; returns the argv of every aws call and what was left in the folder. */
function paste(commandLines: readonly string[], label: string): { argvs: string[][]; files: string[] } {
  const cwd = mkdtempSync(join(work, `${label}-`));
  const log = join(work, `${label}.argv`);
  writeFileSync(log, '');
  const script = commandLines.map(fillReaderPlaceholders).join('\n');
  const run = spawnSync('bash', ['-c', script], {
    cwd,
    env: { PATH: `${bin}:/usr/bin:/bin`, ARGV_LOG: log, HOME: cwd },
    encoding: 'utf8',
  });
  expect(run.error).toBeUndefined();
  return { argvs: readArgvs(log).map((argv) => argv.map(withoutRevocationTime)), files: readdirSync(cwd) };
}

/** The argv of every call logged by the fake aws (or jq) to `log`. */
function readArgvs(log: string): string[][] {
  const fields = readFileSync(log, 'utf8').split('\0');
  const argvs: string[][] = [];
  for (let i = 0; i < fields.length - 1;) {
    const count = Number(fields[i]);
    argvs.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  return argvs;
}

/**
 * A session revocation denies tokens issued before the moment it is pasted (`date -u` in the
 * command): that moment differs between two pastes, so it is compared as a shape, not a value.
 */
function withoutRevocationTime(arg: string): string {
  return arg.replace(/("aws:TokenIssueTime":")\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g, '$1<NOW>"');
}

/** Lines that call aws: at the start, after a pipe, or inside `$(…)` (the account check). */
const CALLS_AWS = /(^|\| |\$\()aws /;

describe('plan commands pasted into bash', () => {
  const all = planCommands(PLAIN);
  const positions = distinctPositions(all);
  const plain = positions.map((i) => all[i]!);
  const meant = paste(plain, 'plain');
  const named = plain.map((command) => command.includes(PLAIN));
  /** The argv each plain line produced, or undefined for a line that calls no aws. */
  const argvOfLine = (() => {
    let next = 0;
    return plain.map((line) => (CALLS_AWS.test(line) ? meant.argvs[next++] : undefined));
  })();

  it('the plain plans call aws once per command, and the table covers the option-like commands', () => {
    // Every line that calls aws calls it once (the account check inside $(…)); the others only read or forget a secret.
    expect(meant.argvs).toHaveLength(plain.filter((line) => CALLS_AWS.test(line)).length);
    expect(plain.filter((line) => !CALLS_AWS.test(line)).every((line) => /read -rs|^unset /.test(line))).toBe(true);
    // The revocation time is the moment of pasting, filled in by the shell.
    expect(meant.argvs.some((argv) => argv.some((arg) => arg.includes('"aws:TokenIssueTime":"<NOW>"')))).toBe(true);
    expect(meant.argvs.some((argv) => argv.includes(`--user-name=${PLAIN}`))).toBe(true);
    expect(meant.files).toEqual([]);
    expect(named.filter(Boolean).length).toBeGreaterThan(20);
  });

  it.each(HOSTILE_NAMES.map((name) => [JSON.stringify(name), name]))('the name %s reaches aws as exactly one argument', (_, name) => {
    const every = planCommands(name);
    expect(every).toHaveLength(all.length);
    // Commands that do not hold the name are the same for every name: they were pasted above.
    expect(positions.filter((_, k) => !named[k]).map((i) => every[i])).toEqual(plain.filter((_, k) => !named[k]));
    const { argvs, files } = paste(
      positions.filter((_, k) => named[k]).map((i) => every[i]!),
      'hostile',
    );
    // Nothing ran but aws: no file was created by a redirection or a substitution.
    expect(files).toEqual([]);
    const expected = argvOfLine
      .filter((argv, k) => named[k] && argv !== undefined)
      .map((argv) => argv!.map((arg) => arg.split(PLAIN).join(name)));
    expect(argvs).toEqual(expected);
  });

  it('a tampered account id is quoted in the account check too', () => {
    const plan = planFindings(
      result([{ ...finding('r', 'rotate-access-key', 'access_key_1', keyEvidence(400, 3)), accountId: `${ACCOUNT}$(touch PWNED)` }]),
      catalogue,
    ).accounts[0]!.plans[0]!;
    const { argvs, files } = paste([plan.access!.check], 'account');
    expect(files).toEqual([]);
    expect(argvs).toEqual([['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text']]);
  });
});

describe('a temporary password pasted into bash', () => {
  const reset = planFindings(result([finding('r', 'reset-user-password', 'password')]), catalogue).accounts[0]!.plans[0]!;
  const secret = `Tmp"pa\\ss w'rd$(touch PWNED)`;

  it.each(['admin-reset-password', 'admin-create-password'])(
    '%s reads it without echo, passes it only on standard input, then forgets it',
    (id) => {
      const commands = reset.steps.find((s) => s.id === id)!.commands;
      const dir = mkdtempSync(join(work, `${id}-`));
      const tools = join(dir, 'bin');
      spawnSync('mkdir', ['-p', tools]);
      const log = join(dir, 'argv');
      const jqLog = join(dir, 'jq-argv');
      const stdinLog = join(dir, 'stdin');
      for (const file of [log, jqLog, stdinLog]) writeFileSync(file, '');
      // A fake aws that logs its argv and, when told to read file:///dev/stdin, what it was given there;
      // a jq that logs its argv before running the real one: the password must be in neither argv.
      // They run at the same time in a pipeline, so each logs to its own file.
      const logArgv = (to: string) => `{ printf '%s\\0' "$#"; for a in "$@"; do printf '%s\\0' "$a"; done; } >> "$${to}"\n`;
      writeFileSync(
        join(tools, 'aws'),
        `#!/bin/sh\n${logArgv('ARGV_LOG')}for a in "$@"; do [ "$a" = file:///dev/stdin ] && cat >> "$STDIN_LOG"; done; exit 0\n`,
      );
      writeFileSync(join(tools, 'jq'), `#!/bin/sh\n${logArgv('JQ_LOG')}exec /usr/bin/jq "$@"\n`);
      chmodSync(join(tools, 'aws'), 0o755);
      chmodSync(join(tools, 'jq'), 0o755);
      const script = [...commands, 'printf "after:%s" "${TEMP_PASSWORD-forgotten}"'].join('\n');
      const run = spawnSync('bash', ['-c', script], {
        cwd: dir,
        input: `${secret}\n`,
        env: { PATH: `${tools}:/usr/bin:/bin`, ARGV_LOG: log, JQ_LOG: jqLog, STDIN_LOG: stdinLog, HOME: dir },
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      const jqArgvs = readArgvs(jqLog);
      const argvs = [...readArgvs(log), ...jqArgvs];
      // jq ran, and neither it nor aws saw the password as an argument.
      expect(jqArgvs.some((argv) => argv.includes('-Rs'))).toBe(true);
      expect(argvs.flat().some((arg) => arg.includes('pa\\ss'))).toBe(false);
      const verb = id === 'admin-reset-password' ? 'update-login-profile' : 'create-login-profile';
      expect(argvs).toContainEqual(['iam', verb, '--user-name=alice', '--cli-input-json', 'file:///dev/stdin']);
      expect(JSON.parse(readFileSync(stdinLog, 'utf8'))).toEqual({ Password: secret, PasswordResetRequired: true });
      expect(run.stdout).not.toContain('pa\\ss');
      expect(run.stdout).toContain('after:forgotten');
      expect(readdirSync(dir).sort()).toEqual(['argv', 'bin', 'jq-argv', 'stdin']);
    },
  );
});
