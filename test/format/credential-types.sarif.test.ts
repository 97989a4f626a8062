/**
 * --format sarif shows every credential type beyond the credential report and validates against
 * the official SARIF 2.1.0 schema (issue 22).
 */
import { readFileSync } from 'node:fs';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

const schema = JSON.parse(readFileSync('/work/shared/fixtures/schemas/sarif-schema-2.1.0.json', 'utf8')) as object;
type Ajv04 = InstanceType<typeof Ajv04Module.default>;
const Ajv04Class = ((Ajv04Module as unknown as { default?: typeof Ajv04Module.default }).default ??
  Ajv04Module) as typeof Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv04) => Ajv04;

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[] }[];
  partialFingerprints: Record<string, string>;
  properties: { accountId: string; credential: string | null; remediation: string; principal: { arn: string } };
}

describe('credential types in --format sarif', () => {
  it('is valid SARIF 2.1.0 with a result per planted credential: resource, kind:id, procedure; rules tagged with framework ids', async () => {
    const run = await scanCredentialTypes('sarif');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.sarif');
    const log = JSON.parse(text) as {
      runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } }; results: SarifResult[] }[];
    };
    const ajv = addFormats(new Ajv04Class({ allErrors: true, strict: false }));
    const validate = ajv.compile(schema);
    validate(log);
    expect(validate.errors ?? [], 'SARIF schema errors').toEqual([]);

    const [sarifRun] = log.runs;
    for (const planted of PLANTED) {
      const result = sarifRun!.results.find(
        (r) => r.ruleId === planted.ruleId && r.locations[0]?.logicalLocations[0]?.fullyQualifiedName === planted.principalArn,
      );
      expect(result, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(result!.locations[0]!.logicalLocations[0]).toMatchObject({ name: planted.principalName, kind: 'resource' });
      expect(result!.properties).toMatchObject({
        accountId: planted.accountId,
        credential: planted.credential,
        remediation: planted.procedure,
      });
      if (planted.id) expect(result!.message.text).toContain(planted.id);
      expect(Object.values(result!.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
      const tags = sarifRun!.tool.driver.rules.find((r) => r.id === planted.ruleId)?.properties.tags ?? [];
      for (const [framework, ids] of Object.entries(planted.frameworks ?? {}))
        for (const id of ids) expect(tags, planted.ruleId).toContain(`${framework}:${id}`);
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
