import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

/** The YAML blocks of docs/rules.md's worked example, by the file named in their first comment. */
function workedExample(): Record<string, string> {
  const docs = readFileSync(join(process.cwd(), 'docs/rules.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Worked example: a rule of your own'), docs.indexOf('### Testing a rule'));
  const files: Record<string, string> = {};
  for (const [, body = ''] of section.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const name = /^# (\S+)\n/.exec(body)?.[1];
    if (name) files[name] = body;
  }
  return files;
}

function writeExample(): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(workedExample())) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

const exampleOrg = join(process.cwd(), 'examples/org');

describe('the worked user-rule example of docs/rules.md', () => {
  it('holds a rule and the procedure it names', () => {
    expect(Object.keys(workedExample()).sort()).toEqual([
      '.credwarden/procedures/move-user-to-ci-path.yaml',
      'my-rules/ci-users-need-path.yaml',
    ]);
  });

  it('validates, and produces a real plan for etl-runner', async () => {
    const dir = writeExample();
    const validate = await cli(['rules', 'validate', 'my-rules'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const run = await cli(['plan', '--from', exampleOrg, '--rules', 'my-rules', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    const plans = (
      JSON.parse(run.stdout) as {
        accounts: { plans: { principal: { name: string }; actors: string[]; steps: { commands: string[] }[]; procedures: string[] }[] }[];
      }
    ).accounts.flatMap((a) => a.plans);
    const etl = plans.find((p) => p.principal.name === 'etl-runner')!;
    expect(etl.procedures).toContain('move-user-to-ci-path');
    expect(etl.actors).toEqual(['administrator']);
    expect(etl.steps.flatMap((s) => s.commands)).toContain('aws iam update-user --user-name=etl-runner --new-path /ci/');
  });
});

describe('a rule that names no known procedure', () => {
  const typo = (dir: string) => {
    const rule = readFileSync(join(dir, 'my-rules/ci-users-need-path.yaml'), 'utf8').replace(
      'procedure: move-user-to-ci-path',
      'procedure: rotate-acess-key',
    );
    writeFileSync(join(dir, 'my-rules/ci-users-need-path.yaml'), rule);
  };

  it.each([[['rules', 'validate', 'my-rules']], [['scan', '--from', exampleOrg, '--rules', 'my-rules']]])(
    '%s refuses it with file, line, pointer and the closest procedure (exit 2)',
    async (argv) => {
      const dir = writeExample();
      typo(dir);
      const run = await cli(argv, { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /ci-users-need-path\.yaml:\d+:\d+ at \/remediation\/procedure: error: rule 'ci-users-need-path' names remediation procedure 'rotate-acess-key', which is not in the catalogue.*did you mean 'rotate-access-key'\?/s,
      );
      expect(run.stdout).toBe('');
    },
  );

  it('a key procedure named by a rule about the whole user says it adds nothing, instead of an empty plan', async () => {
    const dir = writeExample();
    writeFileSync(
      join(dir, 'my-rules/ci-users-need-path.yaml'),
      readFileSync(join(dir, 'my-rules/ci-users-need-path.yaml'), 'utf8').replace(
        'procedure: move-user-to-ci-path',
        'procedure: rotate-access-key',
      ),
    );
    const run = await cli(['plan', '--from', exampleOrg, '--rules', 'my-rules'], { cwd: dir });
    expect(run.stdout).toContain('Procedure rotate-access-key has no step for the user as a whole, so it adds nothing here');
  });
});
