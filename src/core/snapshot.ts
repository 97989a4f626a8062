import type { Snapshot } from '../model/index.js';
import { InputError } from '../model/index.js';
import { validate as validateSnapshotFile } from './validation/generated/snapshot.js';
import { schemaDiagnostics } from './validation/schema-diagnostics.js';
import { parseYamlSource } from './yaml/source.js';

/**
 * Parses and validates a saved snapshot (JSON, schemas/snapshot.schema.json).
 * @throws InputError with file, line and JSON pointer for every problem
 */
export function parseSnapshot(text: string, file: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Re-parse with positions only on failure: snapshots can be large.
    const source = parseYamlSource(text, file);
    const errors = source.errors.length > 0 ? source.errors : [{ severity: 'error' as const, file, message: 'not valid JSON' }];
    throw new InputError(errors, `invalid snapshot ${file}`);
  }
  const validate = validateSnapshotFile;
  if (!validate(value)) {
    throw new InputError(schemaDiagnostics(validate.errors ?? [], parseYamlSource(text, file)), `invalid snapshot ${file}`);
  }
  return value as Snapshot;
}

/** Serialises a snapshot as stable, pretty JSON. */
export function serialiseSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
