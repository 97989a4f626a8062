/** ASFF mapping: every finding is one Security Hub would import, with the fields the issue names. */
import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { asffContext, resultToAsff, toAsff } from '../../src/core/securityhub/asff.js';
import { validateFinding } from '../../src/sandbox/asff-validation.js';
import { asffFormatter } from '../../src/core/format/asff.js';
import { cli } from '../helpers/cli.js';
import { EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, exampleResult, injectionResult } from '../format/helpers.js';
import { readResultText } from '../helpers/result.js';

async function examplesWithWaiversAndBaseline(): Promise<ScanResult> {
  const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet']);
  return readResultText(run.stdout);
}

/** A finding whose every free-text field is far longer than ASFF allows. */
function hostile(finding: Finding): Finding {
  const long = 'é𝕏<script>'.repeat(400);
  return {
    ...finding,
    title: long,
    message: long,
    accountName: long,
    principal: { ...finding.principal, name: long, arn: `arn:aws:iam::${finding.accountId}:user/${'p/'.repeat(50)}${long}` },
  };
}

describe('ASFF mapping', () => {
  it('maps every finding of the example organisation to a finding Security Hub accepts', async () => {
    const result = await examplesWithWaiversAndBaseline();
    const findings = resultToAsff(result, 'eu-west-1', '1.2.3');
    expect(findings).toHaveLength(result.findings.length + (result.resolved ?? []).length);
    for (const f of findings) expect(validateFinding(f)).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it('fills the fields the issue asks for from the finding', async () => {
    const result = await exampleResult();
    const finding = result.findings.find((f) => f.ruleId === 'access-key-not-rotated') as Finding;
    const asff = toAsff(finding, asffContext(result, 'eu-west-1', '1.2.3'));
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `credwarden/${finding.fingerprint}`,
      ProductArn: `arn:aws:securityhub:eu-west-1:${finding.accountId}:product/${finding.accountId}/default`,
      GeneratorId: 'access-key-not-rotated',
      AwsAccountId: finding.accountId,
      Severity: { Label: 'MEDIUM', Original: 'medium' },
      RecordState: 'ACTIVE',
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: ['CIS AWS Foundations Benchmark v3.0.0/1.14', 'CIS AWS Foundations Benchmark v5.0.0/1.13'],
      },
      Resources: [{ Type: 'AwsIamAccessKey', Id: finding.principal.arn, Partition: 'aws', Region: 'eu-west-1' }],
    });
    expect(asff.Types).toContain('Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark');
    expect(asff.Remediation?.Recommendation?.Url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    // The recommendation is the principal's plan (schema v2: found through remediation.planId).
    const plan = result.plans.find((p) => p.id === finding.remediation.planId);
    expect(plan).toBeDefined();
    expect(asff.Remediation?.Recommendation?.Text).toContain(
      plan?.findings.find((f) => f.fingerprint === finding.fingerprint)?.resolution.slice(0, 30),
    );
    expect(asff.ProductFields?.['credwarden/SecurityHubControls']).toBe('IAM.3');
    // The as-of of the account's evidence, never the clock.
    expect(asff.UpdatedAt).toBe('2026-11-01T12:00:00Z');
  });

  it('picks the resource type from the credential and the principal', async () => {
    const result = await exampleResult();
    const context = asffContext(result, 'us-east-1', 't');
    const type = (predicate: (f: Finding) => boolean) => toAsff(result.findings.find(predicate) as Finding, context).Resources?.[0]?.Type;
    expect(type((f) => f.principal.type === 'user' && f.credential === 'password')).toBe('AwsIamUser');
    expect(type((f) => f.principal.type === 'root' && f.credential === null)).toBe('AwsAccount');
    expect(type((f) => f.principal.type === 'root' && f.credential === 'access_key_1')).toBe('AwsIamAccessKey');
  });

  it('marks waived findings SUPPRESSED with the waiver in the note, and resolved ones ARCHIVED and PASSED', async () => {
    const result = await examplesWithWaiversAndBaseline();
    const context = asffContext(result, 'us-east-1', 't');
    const waived = result.findings.find((f) => f.status === 'waived') as Finding;
    const asff = toAsff(waived, context);
    expect(asff.Workflow).toEqual({ Status: 'SUPPRESSED' });
    expect(asff.Note?.Text).toContain(waived.waiver?.id);
    expect(asff.Note?.Text).toContain(waived.waiver?.reason.slice(0, 20));
    const open = toAsff(result.findings.find((f) => f.status === 'open') as Finding, context);
    expect(open.Workflow).toBeUndefined();
    const archived = toAsff(result.findings[0] as Finding, context, 'ARCHIVED');
    expect(archived).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
  });

  it("CreatedAt is when the finding was first seen: the baseline's first-seen for a finding it had, else the as-of", async () => {
    const result = await exampleResult();
    const context = asffContext(result, 'us-east-1', 't');
    const finding = result.findings[0] as Finding;
    const asOf = toAsff(finding, context).UpdatedAt!;
    // First seen in this scan: created, first observed and updated now.
    expect(toAsff(finding, context)).toMatchObject({ CreatedAt: asOf, FirstObservedAt: asOf, LastObservedAt: asOf });
    // Seen before (the baseline recorded it): created then, updated now, for active and archived records alike.
    const seen = { ...finding, baseline: 'existing' as const, firstSeen: '2026-08-01T12:00:00+00:00' };
    for (const state of ['ACTIVE', 'ARCHIVED'] as const) {
      expect(toAsff(seen, context, state)).toMatchObject({
        CreatedAt: '2026-08-01T12:00:00Z',
        FirstObservedAt: '2026-08-01T12:00:00Z',
        UpdatedAt: asOf,
      });
    }
    // A baseline newer than the scan cannot make a record created after it was updated.
    expect(toAsff({ ...seen, firstSeen: '2027-01-01T00:00:00Z' }, context).CreatedAt).toBe(asOf);
  });

  it('keeps hostile, overlong names within every ASFF length limit', async () => {
    const result = await injectionResult();
    const findings = result.findings.map(hostile);
    const asff = resultToAsff({ ...result, findings }, 'us-east-1', 't');
    for (const f of asff) {
      expect(validateFinding(f)).toEqual([]);
      expect(Array.from(f.Title ?? '').length).toBeLessThanOrEqual(256);
      expect(Array.from(f.Description ?? '').length).toBeLessThanOrEqual(1024);
      expect(f.Title).not.toMatch(/[\uD800-\uDBFF]$/);
    }
  });

  it('takes the partition from the principal ARN (aws-cn, aws-us-gov)', async () => {
    const result = await exampleResult();
    const finding = result.findings[0] as Finding;
    const cn = { ...finding, principal: { ...finding.principal, arn: finding.principal.arn.replace('arn:aws:', 'arn:aws-cn:') } };
    const asff = toAsff(cn, asffContext(result, 'cn-north-1', 't'));
    expect(asff.ProductArn).toBe(`arn:aws-cn:securityhub:cn-north-1:${finding.accountId}:product/${finding.accountId}/default`);
    expect(asff.Resources?.[0]?.Partition).toBe('aws-cn');
  });

  it('--format asff writes a JSON array, in the Region of AWS_REGION', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--format', 'asff', '--quiet'], { env: { AWS_REGION: 'ap-southeast-2' } });
    const findings = JSON.parse(run.stdout) as { ProductArn: string }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ProductArn.includes(':securityhub:ap-southeast-2:'))).toBe(true);
    expect(
      Array.from(asffFormatter.format({ ...(await exampleResult()), findings: [] }, { toolVersion: 't', color: false })).join(''),
    ).toBe('[]\n');
  });
});
