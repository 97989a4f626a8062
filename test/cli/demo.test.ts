import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import { cli } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

// A fixed as-of time: the sandbox serves its fixture's reports as generated now, so without it
// the credentials' ages, and the findings, would move with the calendar.
const AS_OF = '2026-12-01T00:00:00Z';

describe('scan --demo', () => {
  it('scans the bundled sandbox organisation through the live path', async () => {
    const { code, stdout } = await cli(['scan', '--demo', '--as-of', AS_OF, '--format', 'json', '-q']);
    const result = readResultText(stdout);
    expect(code).toBe(0);
    expect(result.summary.accounts).toEqual({ scanned: 4, failed: 0, skipped: 1 });
    expect(result.accounts.find((a) => a.id === '444444444444')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('SUSPENDED'),
    });
    expect(result.findings.find((f) => f.ruleId === 'root-access-key-exists')).toMatchObject({
      accountName: 'payments-prod',
      ouPath: expect.stringContaining('Root/'),
    });
  });

  it('takes another sandbox fixture, e.g. the recovery-path organisation', async () => {
    const { code, stdout } = await cli([
      'scan',
      '--demo',
      'examples/sandbox/recovery-org.json',
      '--pack',
      'complete',
      '--as-of',
      AS_OF,
      '--format',
      'json',
      '-q',
    ]);
    const result = readResultText(stdout);
    expect(code).toBe(0);
    const recovery = result.findings
      .filter((f) => f.ruleId === 'no-recovery-path')
      .map((f) => f.principal.name)
      .sort();
    expect(recovery).toEqual(['analyst', 'app.user', 'ops.lead']);
    // The live result, facts and embedded plans included, follows the published contract.
    const validate = new Ajv({ strict: false }).compile(resultSchema);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    const planIds = new Set(result.plans.map((p) => p.id));
    expect(result.findings.every((f) => f.status !== 'open' || planIds.has(f.remediation.planId ?? ''))).toBe(true);
  });

  it('reports a missing fixture as an input error', async () => {
    const { code, stderr } = await cli(['scan', '--demo', 'no-such-fixture.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-fixture.json');
  });
});
