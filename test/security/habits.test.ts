/** Habits users bring to the CLI (issue 13): globs, empty inputs, dates, narrowing saved reports. */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const org = resolve('examples/org');
const files = ['111111111111-management', '222222222222-payments-prod', '333333333333-data-dev'].map((n) =>
  join(org, `${n}.2026-11-01T120000Z.csv`),
);
const ids = (stdout: string) => readResultText(stdout).accounts.map((a) => a.id);

describe('--from PATH… (a shell glob)', () => {
  it('takes several paths after one --from, and still the repeatable form', async () => {
    const glob = await cli(['scan', '--from', ...files, '--format', 'json']);
    expect(glob.stderr).not.toContain('too many arguments');
    expect(ids(glob.stdout)).toEqual(['111111111111', '222222222222', '333333333333']);
    const repeated = await cli([
      'scan',
      '--from',
      files[0] as string,
      '--from',
      files[1] as string,
      '--format',
      'json',
      '--from',
      files[2] as string,
    ]);
    expect(ids(repeated.stdout)).toEqual(['111111111111', '222222222222', '333333333333']);
  });

  it.each([[['--from', '']], [['--from', ',']], [['--from', 'examples/org,']]])(
    '%j is a usage error (exit 2), never a live scan',
    async (args) => {
      const { code, stderr } = await cli(['scan', ...args, '--format', 'json'], {
        env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
      });
      expect(code).toBe(2);
      expect(stderr).toContain('--from was given an empty path');
      expect(stderr).not.toMatch(/AWS scan|scanning/);
    },
  );
});

describe('--as-of', () => {
  it('accepts a plain date as midnight UTC', async () => {
    const { code, stdout } = await cli(['scan', '--from', org, '--format', 'json', '--as-of', '2026-12-01']);
    expect(code).toBe(0);
    expect(readResultText(stdout).asOf).toBe('2026-12-01T00:00:00Z');
  });

  it.each(['2026-02-31', '2026-02-29T00:00:00Z', '2026-04-31T10:00:00Z', 'yesterday'])('refuses %s (exit 2)', async (asOf) => {
    const { code, stderr } = await cli(['scan', '--from', org, '--as-of', asOf]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not an ISO 8601 date or time');
  });

  it('warns clearly about an as-of before a report was generated (negative ages)', async () => {
    const { stderr } = await cli(['scan', '--from', org, '--as-of', '2026-10-01']);
    expect(stderr).toContain(
      'warning: --as-of 2026-10-01T00:00:00Z is before this report of account 111111111111 was generated (2026-11-01T12:00:00Z)',
    );
  });

  it('no "no report time in the file name" warning when --as-of is given', async () => {
    const dir = tempDir();
    copyFileSync(files[0] as string, join(dir, 'report.csv'));
    const without = await cli(['scan', '--from', dir]);
    expect(without.stderr).toContain('no report time in the file name');
    const withAsOf = await cli(['scan', '--from', dir, '--as-of', '2030-01-01']);
    expect(withAsOf.stderr).not.toContain('no report time in the file name');
  });

  it('an impossible timestamp in a file name names the file (exit 2)', async () => {
    const dir = tempDir();
    copyFileSync(files[0] as string, join(dir, '111111111111-x.2026-02-31T120000Z.csv'));
    const { code, stderr } = await cli(['scan', '--from', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('111111111111-x.2026-02-31T120000Z.csv');
    expect(stderr).toContain('is not a real date and time');
    expect(stderr).not.toContain('unexpected error');
  });
});

describe('narrowing saved reports', () => {
  it('--accounts and --exclude-accounts work with --from', async () => {
    const only = await cli([
      'scan',
      '--from',
      org,
      '--accounts',
      '222222222222,333333333333',
      '--exclude-accounts',
      '333333333333',
      '--format',
      'json',
    ]);
    expect(only.code).toBe(0);
    expect(ids(only.stdout)).toEqual(['222222222222']);
    const dir = tempDir();
    writeFileSync(join(dir, 'ids.txt'), '# the prod ones\n222222222222\n');
    const fromFile = await cli(['scan', '--from', org, '--accounts-file', join(dir, 'ids.txt'), '--format', 'json']);
    expect(ids(fromFile.stdout)).toEqual(['222222222222']);
  });

  it('--min-severity evaluates only the rules at or above it, with --from too', async () => {
    const all = readResultText((await cli(['scan', '--from', org, '--format', 'json'])).stdout);
    const high = readResultText((await cli(['scan', '--from', org, '--format', 'json', '--min-severity', 'high'])).stdout);
    expect(all.findings.some((f) => f.severity === 'medium' || f.severity === 'low')).toBe(true);
    expect(high.findings.length).toBeGreaterThan(0);
    expect(high.findings.every((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(high.rulesHash).not.toBe(all.rulesHash);
  });
});

describe('secrets are never echoed', () => {
  it('--accounts-file ~/.aws/credentials: line numbers and a safe shape, not the keys', async () => {
    const dir = tempDir();
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'IQoJb3JpZ2luX2VjEXAMPLETOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx==';
    writeFileSync(
      join(dir, 'credentials'),
      `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${secret}\naws_session_token=${token}\n`,
    );
    for (const args of [
      ['--from', org, '--accounts-file', 'credentials'],
      ['--org', '--accounts-file', 'credentials'],
    ]) {
      const { code, stderr } = await cli(['scan', ...args], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(/credentials:3: error: 40 characters \(letters, digits, symbols\), not a 12-digit account id/);
      for (const leak of [secret, secret.slice(0, 4), token.slice(0, 8), 'AKIAIOSFODNN7EXAMPLE']) expect(stderr).not.toContain(leak);
    }
  });
});

describe('schema errors quote a typo, not a pasted secret', () => {
  it('a long value is described by its shape; a short word is quoted', async () => {
    const dir = tempDir();
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    writeFileSync(join(dir, 'secret.yaml'), `failOn: ${secret}\n`);
    writeFileSync(join(dir, 'typo.yaml'), 'failOn: hihg\n');
    const leaked = await cli(['scan', '--from', org, '--config', join(dir, 'secret.yaml')]);
    expect(leaked.code).toBe(2);
    expect(leaked.stderr).toContain('(got a value of 40 characters (letters, digits, symbols))');
    expect(leaked.stderr).not.toContain(secret.slice(0, 8));
    const typo = await cli(['scan', '--from', org, '--config', join(dir, 'typo.yaml')]);
    expect(typo.stderr).toContain('(got "hihg")');
  });
});

describe('data errors do not send the user to --help', () => {
  it('a bad flag still points at --help', async () => {
    const { code, stderr } = await cli(['scan', '--from', org, '--output', 'a.json', '--format', 'json,csv']);
    expect(code).toBe(2);
    expect(stderr).toContain("Run 'credwarden --help'");
  });
});

describe('every built-in pack is listed where users choose one', () => {
  const packs = readdirSync('packs')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));

  it('in `scan --help` and in action.yml', async () => {
    const help = (await cli(['scan', '--help'])).stdout.replace(/\s+/g, ' ');
    const action = readFileSync('action.yml', 'utf8');
    const packInput = /\n {2}pack:\n {4}description: ([^\n]*)/.exec(action)?.[1] ?? '';
    expect(packs).toContain('complete');
    for (const pack of packs) {
      expect(help).toContain(pack);
      expect(packInput).toContain(pack);
    }
  });
});

describe('--demo names', () => {
  it('accepts a bundled organisation by name, and the README path from any folder', async () => {
    const elsewhere = tempDir();
    for (const demo of ['recovery-org', 'examples/sandbox/recovery-org.json']) {
      // A fixed as-of: the sandbox serves its reports as generated now (ages would move with the calendar).
      const scan = ['scan', '--demo', demo, '--as-of', '2026-12-01T00:00:00Z', '--format', 'json', '--quiet', '--fail-on', 'none'];
      const { code, stdout, stderr } = await cli(scan, {
        cwd: elsewhere,
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(readResultText(stdout).accounts.length).toBeGreaterThan(0);
    }
  });

  it('an unknown name lists the bundled ones (exit 2)', async () => {
    const { code, stderr } = await cli(['scan', '--demo', 'nope-org'], { cwd: tempDir() });
    expect(code).toBe(2);
    expect(stderr).toContain("no sandbox organisation 'nope-org'");
    expect(stderr).toContain('recovery-org');
  });
});

describe('rules validate names the folder it read', () => {
  it('from another folder: the built-in rules with their path, or the given folder', async () => {
    const elsewhere = tempDir();
    const builtIn = await cli(['rules', 'validate'], { cwd: elsewhere });
    expect(builtIn.code).toBe(0);
    expect(builtIn.stdout).toMatch(/valid in the built-in rules \(.*[/\\]rules\)/);
    const given = await cli(['rules', 'validate', resolve('rules')], { cwd: elsewhere });
    expect(given.stdout).toContain(`valid in ${resolve('rules')}`);
  });
});
