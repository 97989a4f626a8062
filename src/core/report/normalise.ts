import type { AccessKey, Certificate, Password, Principal } from '../../model/index.js';
import { parseTimestamp } from '../util/time.js';
import { quoteValue } from '../util/shape.js';
import { isNoValue, REPORT_COLUMNS, ROOT_USER_NAME, type ReportColumn } from './columns.js';
import { parseArn } from './arn.js';
import { TIME, unknownTimes } from './times.js';

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

/** Where each column is among a row's cells (its position in the header). */
export type ColumnIndex = Readonly<Record<ReportColumn, number>>;

/** The positions of a row whose cells are in {@link REPORT_COLUMNS} order. */
const COLUMN_ORDER: ColumnIndex = Object.fromEntries(REPORT_COLUMNS.map((column, i) => [column, i])) as ColumnIndex;

/** Converts one credential report row into the normalised principal model. */
export function normaliseRow(row: RawRow): Principal {
  return normaliseCells(
    REPORT_COLUMNS.map((column) => row[column]),
    COLUMN_ORDER,
  );
}

/**
 * Converts one row's cells, as the report's header places them (`at`), into the normalised
 * principal model: {@link normaliseRow} without a row object keyed by column name, which the
 * report parser would make and drop for every row. Values are checked in the same order, so the
 * same cell is named when several are wrong. Each time checked is written to `times`, at its
 * {@link TIME} position, in epoch ms: the report reader keeps them so that evaluation and
 * planning do not parse them again.
 */
export function normaliseCells(cells: readonly string[], at: ColumnIndex, times: number[] = unknownTimes()): Principal {
  const name = cells[at.user]!;
  const arnText = cells[at.arn]!;
  const arn = readArn(arnText);
  const type = name === ROOT_USER_NAME || arn.resourceType === 'root' ? 'root' : 'user';
  const createdAt = timestamp(cells[at.user_creation_time]!, 'user_creation_time', times, TIME.createdAt);
  const password = passwordOf(
    cells[at.password_enabled]!,
    cells[at.password_last_used]!,
    cells[at.password_last_changed]!,
    cells[at.password_next_rotation]!,
    times,
  );
  const mfaActive = bool(cells[at.mfa_active]!, 'mfa_active');
  const key1 = accessKey(
    1,
    cells[at.access_key_1_active]!,
    cells[at.access_key_1_last_rotated]!,
    cells[at.access_key_1_last_used_date]!,
    cells[at.access_key_1_last_used_region]!,
    cells[at.access_key_1_last_used_service]!,
    times,
  );
  const key2 = accessKey(
    2,
    cells[at.access_key_2_active]!,
    cells[at.access_key_2_last_rotated]!,
    cells[at.access_key_2_last_used_date]!,
    cells[at.access_key_2_last_used_region]!,
    cells[at.access_key_2_last_used_service]!,
    times,
  );
  const accessKeys: Principal['accessKeys'] = key1 === NO_ACCESS_KEYS[0] && key2 === NO_ACCESS_KEYS[1] ? NO_ACCESS_KEYS : [key1, key2];
  const cert1 = certificate(1, cells[at.cert_1_active]!, cells[at.cert_1_last_rotated]!, times);
  const cert2 = certificate(2, cells[at.cert_2_active]!, cells[at.cert_2_last_rotated]!, times);
  const certificates: Principal['certificates'] =
    cert1 === NO_CERTIFICATES[0] && cert2 === NO_CERTIFICATES[1] ? NO_CERTIFICATES : [cert1, cert2];
  // Two literals in the model's member order rather than a conditional spread, which V8 builds
  // by its slow path (this runs for every row of every report).
  return type === 'user'
    ? { type, name, arn: arnText, path: arn.path, createdAt, password, mfaActive, accessKeys, certificates }
    : { type, name, arn: arnText, createdAt, password, mfaActive, accessKeys, certificates };
}

function readArn(arn: string) {
  try {
    return parseArn(arn);
  } catch (error) {
    throw new RowError('arn', (error as Error).message);
  }
}

function passwordOf(
  enabledCell: string,
  lastUsedCell: string,
  lastChangedCell: string,
  nextRotationCell: string,
  times: number[],
): Password {
  const enabled = enabledCell.trim() === 'not_supported' ? null : bool(enabledCell, 'password_enabled');
  const lastUsed = timestamp(lastUsedCell, 'password_last_used', times, TIME.passwordLastUsed);
  return {
    enabled,
    lastUsed,
    lastUsedStatus: passwordUseStatus(enabled, lastUsedCell.trim(), lastUsed),
    lastChanged: timestamp(lastChangedCell, 'password_last_changed', times, TIME.passwordLastChanged),
    nextRotation: timestamp(nextRotationCell, 'password_next_rotation', times, TIME.passwordNextRotation),
  };
}

function passwordUseStatus(enabled: boolean | null, text: string, lastUsed: string | null): Password['lastUsedStatus'] {
  if (lastUsed !== null) return 'used';
  if (text === 'no_information') return 'no_information';
  return enabled === false ? 'not_applicable' : 'never';
}

/** The column names of each access key slot, for the messages. */
const KEY_COLUMNS = [
  {
    active: 'access_key_1_active',
    lastRotated: 'access_key_1_last_rotated',
    lastUsed: 'access_key_1_last_used_date',
    region: 'access_key_1_last_used_region',
    service: 'access_key_1_last_used_service',
  },
  {
    active: 'access_key_2_active',
    lastRotated: 'access_key_2_last_rotated',
    lastUsed: 'access_key_2_last_used_date',
    region: 'access_key_2_last_used_region',
    service: 'access_key_2_last_used_service',
  },
] as const satisfies readonly Record<string, ReportColumn>[];

function accessKey(
  slot: 1 | 2,
  active: string,
  lastRotated: string,
  lastUsed: string,
  region: string,
  service: string,
  times: number[],
): AccessKey {
  const column = KEY_COLUMNS[slot - 1]!;
  const offset = 2 * (slot - 1);
  // Checked in the columns' order, so the same cell is named when several are wrong.
  const isActive = bool(active, column.active);
  const rotated = timestamp(lastRotated, column.lastRotated, times, TIME.keyLastRotated + offset);
  const used = timestamp(lastUsed, column.lastUsed, times, TIME.keyLastUsed + offset);
  const lastUsedRegion = shortText(region, column.region, 'a Region code');
  const lastUsedService = shortText(service, column.service, 'a service name');
  if (!isActive && rotated === null && used === null && lastUsedRegion === null && lastUsedService === null)
    return NO_ACCESS_KEYS[slot - 1]!;
  return { slot, active: isActive, lastRotated: rotated, lastUsed: used, lastUsedRegion, lastUsedService };
}

/**
 * The access key slots of a row without that key (inactive, never rotated, no use: most users'
 * second slot, many users' first): the same for every principal, so shared, as the empty
 * certificate slots are ({@link NO_CERTIFICATES}). A scan keeps an account's principals until its
 * reports are written. Frozen: a change to one would change every principal, so the write throws.
 */
const NO_ACCESS_KEYS = Object.freeze([
  Object.freeze({ slot: 1, active: false, lastRotated: null, lastUsed: null, lastUsedRegion: null, lastUsedService: null }),
  Object.freeze({ slot: 2, active: false, lastRotated: null, lastUsed: null, lastUsedRegion: null, lastUsedService: null }),
]) as Principal['accessKeys'];

const CERT_COLUMNS = [
  { active: 'cert_1_active', lastRotated: 'cert_1_last_rotated' },
  { active: 'cert_2_active', lastRotated: 'cert_2_last_rotated' },
] as const satisfies readonly Record<string, ReportColumn>[];

function certificate(slot: 1 | 2, activeCell: string, lastRotatedCell: string, times: number[]): Certificate {
  const column = CERT_COLUMNS[slot - 1]!;
  const active = bool(activeCell, column.active);
  const lastRotated = timestamp(lastRotatedCell, column.lastRotated, times, TIME.certLastRotated + slot - 1);
  return !active && lastRotated === null ? NO_CERTIFICATES[slot - 1]! : { slot, active, lastRotated };
}

/**
 * The certificate slots of a row without signing certificates (nearly every row): the same for
 * every principal, so shared. A scan keeps an account's principals until its reports are
 * written, and two slots and their pair of its own were a sixth of a principal's memory. Frozen:
 * a change to one would change every principal, so the write throws instead.
 */
const NO_CERTIFICATES = Object.freeze([
  Object.freeze({ slot: 1, active: false, lastRotated: null }),
  Object.freeze({ slot: 2, active: false, lastRotated: null }),
]) as Principal['certificates'];

function bool(raw: string, column: ReportColumn): boolean {
  // AWS writes lower-case true/false; only other spellings need the slower normalisation.
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RowError(column, `expected true or false, got ${quoteValue(raw)}`);
}

/**
 * The time of a cell as the model keeps it (its text; null for no time), checked: its value in
 * epoch ms goes to `times[at]`, where evaluation and planning read it.
 */
function timestamp(cell: string, column: ReportColumn, times: number[], at: number): string | null {
  const value = cell.trim();
  if (value === '' || isNoValue(value)) return null;
  const ms = parseTimestamp(value);
  if (Number.isNaN(ms)) {
    throw new RowError(
      column,
      `expected an ISO 8601 time (a real calendar day), N/A, no_information or not_supported, got ${quoteValue(value)}`,
    );
  }
  times[at] = ms;
  return value;
}

/**
 * The longest Region code or service name kept: AWS writes `us-east-1` or `s3` (under 30
 * characters). A longer cell was not written by IAM, and copied into the evidence of every
 * finding of the key it would make a report many times the size of its input.
 */
export const MAX_SHORT_TEXT = 64;

function shortText(cell: string, column: ReportColumn, what: string): string | null {
  const value = cell.trim();
  if (value === '' || isNoValue(value)) return null;
  if (value.length > MAX_SHORT_TEXT)
    throw new RowError(column, `expected ${what} (AWS writes at most ${MAX_SHORT_TEXT} characters), got ${quoteValue(value)}`);
  return value;
}
