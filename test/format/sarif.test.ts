import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { FINGERPRINT_KEY, formatSarif as sarifChunks } from '../../src/core/format/sarif.js';
import { renderToString, type FormatContext } from '../../src/core/format/types.js';
import { CONTEXT, exampleResult, injectionResult } from './helpers.js';

// The official SARIF 2.1.0 schema (draft-04), copied into the repository so CI
// does not depend on anything outside it.
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8')) as object;
// Both packages are CommonJS; under ESM their default export may arrive wrapped.
type Ajv04 = InstanceType<typeof Ajv04Module.default>;
type AddFormats = (ajv: Ajv04) => Ajv04;
const Ajv04Class = ((Ajv04Module as unknown as { default?: typeof Ajv04Module.default }).default ??
  Ajv04Module) as typeof Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
const ajv = new Ajv04Class({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const formatSarif = (r: ScanResult, c: FormatContext) => renderToString(sarifChunks(r, c));

interface SarifLog {
  runs: {
    tool: {
      driver: {
        version: string;
        rules: {
          id: string;
          helpUri?: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          defaultConfiguration: { level: string };
          properties: Record<string, unknown>;
        }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      partialFingerprints: Record<string, string>;
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        logicalLocations: { fullyQualifiedName: string }[];
      }[];
      suppressions?: unknown[];
    }[];
  }[];
}

function sarifOf(result: ScanResult, context = CONTEXT): SarifLog {
  const text = formatSarif(result, context);
  const log = JSON.parse(text) as unknown;
  const valid = validate(log);
  expect(validate.errors ?? [], 'SARIF schema errors').toEqual([]);
  expect(valid).toBe(true);
  return log as SarifLog;
}

describe('SARIF 2.1.0', () => {
  it('uses a validator that rejects a broken log (so the checks below mean something)', async () => {
    const log = JSON.parse(formatSarif(await exampleResult(), CONTEXT)) as { runs: { results: { level: string }[] }[] };
    const first = log.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('validates against the official schema for the example organisation', async () => {
    sarifOf(await exampleResult());
  });

  it('validates with hostile names, a waived finding, a baseline and a source root', async () => {
    const result = await injectionResult();
    const first = result.findings[0];
    if (!first) throw new Error('expected findings');
    first.status = 'waived';
    first.waiver = { id: 'w1', reason: 'break-glass user, reviewed', expires: '2027-01-31' };
    result.findings = result.findings.map((f, i) => ({ ...f, baseline: i % 2 === 0 ? 'new' : 'existing' }));
    const log = sarifOf(result, { ...CONTEXT, sourceRoot: 'file:///work/repo' });
    expect(log.runs[0]?.results[0]?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'break-glass user, reviewed (expires 2027-01-31)' },
    ]);
  });

  it('describes every rule with id, descriptions, help URI, level and security-severity', async () => {
    const result = await exampleResult();
    const log = sarifOf(result, { ...CONTEXT, toolVersion: '9.9.9' });
    const driver = log.runs[0]?.tool.driver;
    expect(driver?.version).toBe('9.9.9');
    expect(driver?.rules.map((r) => r.id)).toEqual(result.rules?.map((r) => r.id));
    const rootKey = driver?.rules.find((r) => r.id === 'root-access-key-exists');
    expect(rootKey?.defaultConfiguration.level).toBe('error');
    expect(rootKey?.properties['security-severity']).toBe('9.5');
    expect(rootKey?.helpUri).toMatch(/^https:\/\//);
    expect(rootKey?.fullDescription.text.length).toBeGreaterThan(rootKey?.shortDescription.text.length ?? 0);
  });

  it('gives each result a level, the finding fingerprint, the rule file and the principal ARN', async () => {
    const result = await exampleResult();
    const log = sarifOf(result);
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(result.findings.length);
    results.forEach((r, i) => {
      const finding = result.findings[i];
      expect(r.ruleId).toBe(finding?.ruleId);
      expect(log.runs[0]?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[finding?.severity ?? 'info']);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(finding?.fingerprint);
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`rules/${r.ruleId}.yaml`);
      expect(r.locations[0]?.physicalLocation.region.startLine).toBe(1);
      expect(r.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe(finding?.principal.arn);
    });
  });
});
