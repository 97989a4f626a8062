/** The 22 columns of an IAM credential report, in the order AWS writes them. */
export const REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** A credential report column name. */
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** The name AWS gives the root user's row. */
export const ROOT_USER_NAME = '<root_account>';

/**
 * Whether a cell is one of the placeholders AWS writes instead of a value: N/A, no_information
 * or not_supported. Compared, not looked up in a set: a set would hash every cell of every row.
 */
export function isNoValue(value: string): boolean {
  return value === 'N/A' || value === 'no_information' || value === 'not_supported';
}
