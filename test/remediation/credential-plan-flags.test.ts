/**
 * The plans for the credentials beyond the credential report (issue 22) name the right procedure,
 * and every AWS CLI command they print uses only flags the AWS CLI v2 reference documents for
 * that command (checked against https://awscli.amazonaws.com/v2/documentation/api/latest/reference/
 * when the table was written). A command the table does not know fails the test: check its page,
 * then add it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PLANTED, scanCredentialTypes } from '../format/credential-types.js';

/** Options every AWS CLI v2 command accepts (the reference's "Global Options", plus the input/skeleton options). */
const GLOBAL = [
  '--debug',
  '--endpoint-url',
  '--no-verify-ssl',
  '--no-paginate',
  '--output',
  '--query',
  '--profile',
  '--region',
  '--version',
  '--color',
  '--no-sign-request',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
  '--no-cli-pager',
  '--cli-auto-prompt',
  '--no-cli-auto-prompt',
  '--cli-input-json',
  '--cli-input-yaml',
  '--generate-cli-skeleton',
];
/** The CLI's own pagination options of paginated commands. */
const PAGINATED = ['--starting-token', '--page-size', '--max-items'];

/** Each command's documented options (AWS CLI v2 reference, synopsis). */
const DOCUMENTED: Record<string, readonly string[]> = {
  'iam create-service-specific-credential': ['--user-name', '--service-name', '--credential-age-days'],
  'iam update-service-specific-credential': ['--user-name', '--service-specific-credential-id', '--status'],
  'iam delete-service-specific-credential': ['--user-name', '--service-specific-credential-id'],
  'iam reset-service-specific-credential': ['--user-name', '--service-specific-credential-id'],
  'iam list-service-specific-credentials': ['--user-name', '--service-name', '--all-users', '--marker', '--max-items'],
  'iam upload-ssh-public-key': ['--user-name', '--ssh-public-key-body'],
  'iam update-ssh-public-key': ['--user-name', '--ssh-public-key-id', '--status'],
  'iam delete-ssh-public-key': ['--user-name', '--ssh-public-key-id'],
  'iam list-ssh-public-keys': ['--user-name', ...PAGINATED],
  'iam delete-server-certificate': ['--server-certificate-name'],
  'iam list-server-certificates': ['--path-prefix', ...PAGINATED],
  'iam get-account-password-policy': [],
  'iam update-account-password-policy': [
    '--minimum-password-length',
    '--require-symbols',
    '--no-require-symbols',
    '--require-numbers',
    '--no-require-numbers',
    '--require-uppercase-characters',
    '--no-require-uppercase-characters',
    '--require-lowercase-characters',
    '--no-require-lowercase-characters',
    '--allow-users-to-change-password',
    '--no-allow-users-to-change-password',
    '--max-password-age',
    '--password-reuse-prevention',
    '--hard-expiry',
    '--no-hard-expiry',
  ],
  'elb describe-load-balancers': ['--load-balancer-names', ...PAGINATED],
  'elbv2 describe-listeners': ['--load-balancer-arn', '--listener-arns', ...PAGINATED],
  'cloudfront list-distributions': PAGINATED,
};

/** The procedures of the new credential types. */
const NEW_PROCEDURES = new Set(PLANTED.map((p) => p.procedure));

/** The words of a shell command up to its first unquoted pipe, quotes removed. */
function words(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '|') break;
    else if (/\s/.test(c)) {
      if (started || word) out.push(word);
      word = '';
      started = false;
    } else word += c;
  }
  if (started || word) out.push(word);
  return out;
}

/** `service operation` and the options of an `aws` command. */
function parse(command: string): { op: string; options: string[] } {
  const [aws, service, operation, ...rest] = words(command.replace(/^\$ /, ''));
  expect(aws, command).toBe('aws');
  return { op: `${service} ${operation}`, options: rest.filter((w) => w.startsWith('--')).map((w) => w.split('=')[0]!) };
}

interface PlanStep {
  procedure: string;
  commands: string[];
}
interface PrincipalPlan {
  procedures: string[];
  steps: PlanStep[];
  alternatives: { procedure: string; steps: PlanStep[] }[];
  verification: string[];
  findings?: { ruleId?: string }[];
}

describe('plans of the credentials beyond the credential report', () => {
  it('use only documented AWS CLI v2 options in every command of their procedures', async () => {
    const run = await scanCredentialTypes('json');
    expect(run.code, run.stderr).toBe(0);
    const planRun = await cli([
      'plan',
      join(run.dir, 'credwarden.json'),
      '--format',
      'json',
      '--output',
      join(run.dir, 'plans.json'),
      '--quiet',
    ]);
    expect(planRun.code, planRun.stderr).toBe(0);
    const book = JSON.parse(readFileSync(join(run.dir, 'plans.json'), 'utf8')) as { accounts: { plans: PrincipalPlan[] }[] };
    const plans = book.accounts.flatMap((a) => a.plans);

    // Each new procedure has a plan step, and its commands are checked.
    const commands: string[] = [];
    const seen = new Set<string>();
    for (const plan of plans) {
      const steps = [
        ...plan.steps,
        ...plan.alternatives.flatMap((alt) => alt.steps.map((s) => ({ ...s, procedure: s.procedure ?? alt.procedure }))),
      ];
      for (const step of steps.filter((s) => NEW_PROCEDURES.has(s.procedure))) {
        seen.add(step.procedure);
        commands.push(...step.commands);
      }
      if (plan.procedures.some((p) => NEW_PROCEDURES.has(p)))
        commands.push(...plan.verification.filter((v) => v.startsWith('$ aws ') && DOCUMENTED[parse(v).op] !== undefined));
    }
    expect([...seen].sort()).toEqual([...NEW_PROCEDURES].sort());
    expect(commands.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const command of commands) {
      const { op, options } = parse(command);
      const documented = DOCUMENTED[op];
      if (!documented) {
        problems.push(`${op}: not in the table of documented commands (${command})`);
        continue;
      }
      for (const option of options)
        if (!documented.includes(option) && !GLOBAL.includes(option)) problems.push(`${op} ${option}: not documented (${command})`);
    }
    expect(problems).toEqual([]);
  });

  it('the table catches an undocumented option', () => {
    const { op, options } = parse("aws iam update-ssh-public-key --user-name='a b' --key-id=APKA1 --status Inactive");
    expect(op).toBe('iam update-ssh-public-key');
    expect(options.filter((o) => !DOCUMENTED[op]!.includes(o) && !GLOBAL.includes(o))).toEqual(['--key-id']);
    expect(parse("aws cloudtrail lookup-events --query 'a|b' | jq .").options).toEqual(['--query']);
  });
});
