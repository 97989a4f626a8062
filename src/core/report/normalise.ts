import type { AccessKey, Certificate, Password, Principal } from '../../model/index.js';
import { parseTimestamp } from '../util/time.js';
import { quoteValue } from '../util/shape.js';
import { NO_VALUE, ROOT_USER_NAME, type ReportColumn } from './columns.js';
import { parseArn } from './arn.js';

/** One report row keyed by column name. */
export type RawRow = Record<ReportColumn, string>;

/** A value in a row that cannot be understood; the parser adds file, line and column. */
export class RowError extends Error {
  constructor(
    readonly column: ReportColumn,
    message: string,
  ) {
    super(message);
  }
}

/** Converts one credential report row into the normalised principal model. */
export function normaliseRow(row: RawRow): Principal {
  const arn = readArn(row);
  const type = row.user === ROOT_USER_NAME || arn.resourceType === 'root' ? 'root' : 'user';
  return {
    type,
    name: row.user,
    arn: row.arn,
    ...(type === 'user' ? { path: arn.path } : {}),
    createdAt: timestamp(row, 'user_creation_time'),
    password: password(row),
    mfaActive: bool(row, 'mfa_active'),
    accessKeys: [accessKey(row, 1), accessKey(row, 2)],
    certificates: [certificate(row, 1), certificate(row, 2)],
  };
}

function readArn(row: RawRow) {
  try {
    return parseArn(row.arn);
  } catch (error) {
    throw new RowError('arn', (error as Error).message);
  }
}

function password(row: RawRow): Password {
  const enabledText = row.password_enabled.trim();
  const enabled = enabledText === 'not_supported' ? null : bool(row, 'password_enabled');
  const lastUsedText = row.password_last_used.trim();
  const lastUsed = timestamp(row, 'password_last_used');
  return {
    enabled,
    lastUsed,
    lastUsedStatus: passwordUseStatus(enabled, lastUsedText, lastUsed),
    lastChanged: timestamp(row, 'password_last_changed'),
    nextRotation: timestamp(row, 'password_next_rotation'),
  };
}

function passwordUseStatus(enabled: boolean | null, text: string, lastUsed: string | null): Password['lastUsedStatus'] {
  if (lastUsed !== null) return 'used';
  if (text === 'no_information') return 'no_information';
  return enabled === false ? 'not_applicable' : 'never';
}

function accessKey(row: RawRow, slot: 1 | 2): AccessKey {
  const prefix = `access_key_${slot}` as const;
  return {
    slot,
    active: bool(row, `${prefix}_active`),
    lastRotated: timestamp(row, `${prefix}_last_rotated`),
    lastUsed: timestamp(row, `${prefix}_last_used_date`),
    lastUsedRegion: shortText(row, `${prefix}_last_used_region`, 'a Region code'),
    lastUsedService: shortText(row, `${prefix}_last_used_service`, 'a service name'),
  };
}

function certificate(row: RawRow, slot: 1 | 2): Certificate {
  return {
    slot,
    active: bool(row, `cert_${slot}_active`),
    lastRotated: timestamp(row, `cert_${slot}_last_rotated`),
  };
}

function bool(row: RawRow, column: ReportColumn): boolean {
  const raw = row[column];
  // AWS writes lower-case true/false; only other spellings need the slower normalisation.
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RowError(column, `expected true or false, got ${quoteValue(row[column])}`);
}

function timestamp(row: RawRow, column: ReportColumn): string | null {
  const value = row[column].trim();
  if (value === '' || NO_VALUE.has(value)) return null;
  if (Number.isNaN(parseTimestamp(value))) {
    throw new RowError(
      column,
      `expected an ISO 8601 time (a real calendar day), N/A, no_information or not_supported, got ${quoteValue(value)}`,
    );
  }
  return value;
}

/**
 * The longest Region code or service name kept: AWS writes `us-east-1` or `s3` (under 30
 * characters). A longer cell was not written by IAM, and copied into the evidence of every
 * finding of the key it would make a report many times the size of its input.
 */
export const MAX_SHORT_TEXT = 64;

function shortText(row: RawRow, column: ReportColumn, what: string): string | null {
  const value = row[column].trim();
  if (value === '' || NO_VALUE.has(value)) return null;
  if (value.length > MAX_SHORT_TEXT)
    throw new RowError(column, `expected ${what} (AWS writes at most ${MAX_SHORT_TEXT} characters), got ${quoteValue(value)}`);
  return value;
}
