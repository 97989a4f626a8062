import resultSchema from '../../../schemas/result.schema.json' with { type: 'json' };
import resultSchemaV1 from '../../../schemas/legacy/result-v1.schema.json' with { type: 'json' };
import type { ScanResult } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { validatorFor } from '../validation/ajv.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import { parseYamlSource } from '../yaml/source.js';
import { upgradeResultV1, type ScanResultV1 } from './upgrade.js';

/** The result schema version credwarden writes. */
export const RESULT_SCHEMA_VERSION = 2;

const REGENERATE = 'write it with `credwarden scan --format json --output FILE` (or `evaluate SNAPSHOT --format json`)';

/**
 * Parses and validates a saved JSON result (schemas/result.schema.json), the one way
 * every command reads results (plan, diff, merge, --baseline). A version 1 result is
 * validated against its own schema (schemas/legacy/result-v1.schema.json) and upgraded.
 * @throws InputError with file, line and JSON pointer for every problem
 */
export function parseResult(text: string, file: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      [{ severity: 'error', file, message: `not valid JSON: ${(error as Error).message}`, suggestion: REGENERATE }],
      `invalid result ${file}`,
    );
  }
  const version =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== 1 && version !== RESULT_SCHEMA_VERSION) {
    const message =
      typeof version === 'number' && version > RESULT_SCHEMA_VERSION
        ? `result schemaVersion ${version} is newer than this credwarden reads (1 to ${RESULT_SCHEMA_VERSION})`
        : `not a credwarden result: schemaVersion must be 1 or ${RESULT_SCHEMA_VERSION} (got ${JSON.stringify(version) ?? 'nothing'})`;
    const suggestion = typeof version === 'number' && version > RESULT_SCHEMA_VERSION ? 'upgrade credwarden' : REGENERATE;
    throw new InputError(
      [{ severity: 'error', file, pointer: version === undefined ? '' : '/schemaVersion', message, suggestion }],
      `invalid result ${file}`,
    );
  }
  const validate = validatorFor(version === 1 ? resultSchemaV1 : resultSchema);
  if (!validate(value)) {
    // Positions are computed only on failure: results can be large.
    const diagnostics = schemaDiagnostics(validate.errors ?? [], parseYamlSource(text, file)).map((d) =>
      d.suggestion ? d : { ...d, suggestion: REGENERATE },
    );
    throw new InputError(diagnostics, `invalid result ${file} (schema version ${version})`);
  }
  return version === 1 ? upgradeResultV1(value as ScanResultV1) : (value as ScanResult);
}
