import { ROOT_USER_NAME, type ReportColumn } from '../../report/columns.js';
import type { RawRow } from '../../report/normalise.js';

/** The account every rule case runs in. */
export const CASE_ACCOUNT_ID = '111122223333';

/** A row that describes a user with no credentials: what unspecified columns default to. */
const EMPTY_ROW: Readonly<RawRow> = {
  user: 'alice',
  arn: '',
  user_creation_time: '2020-01-01T00:00:00+00:00',
  password_enabled: 'false',
  password_last_used: 'N/A',
  password_last_changed: 'N/A',
  password_next_rotation: 'N/A',
  mfa_active: 'false',
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_1_last_used_region: 'N/A',
  access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
  access_key_2_last_used_region: 'N/A',
  access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
};

/**
 * Completes a partial credential report row: unspecified columns describe a user with
 * no credentials, and the ARN follows from the user name (root for `<root_account>`).
 */
export function completeRow(row: Partial<Record<ReportColumn, string>>, accountId = CASE_ACCOUNT_ID): RawRow {
  const user = row.user ?? EMPTY_ROW.user;
  const arn = user === ROOT_USER_NAME ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:user/${user}`;
  return { ...EMPTY_ROW, arn, ...row, user };
}
