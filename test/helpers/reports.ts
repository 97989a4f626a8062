import { fileURLToPath } from 'node:url';
import { REPORT_COLUMNS, type ReportColumn } from '../../src/core/report/columns.js';

/** Real AWS credential reports, copied from the shared fixtures into the repo. */
export const realReportsDir = fileURLToPath(new URL('../fixtures/real-world-credential-reports/', import.meta.url));

const DEFAULT_ROW: Record<ReportColumn, string> = {
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

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds credential report CSV text; unspecified columns describe a user with no credentials. */
export function reportCsv(rows: Partial<Record<ReportColumn, string>>[], accountId = '111122223333'): string {
  const lines = rows.map((row) => {
    const user = row.user ?? DEFAULT_ROW.user;
    const arn = user === '<root_account>' ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:user/${user}`;
    const full = { ...DEFAULT_ROW, arn, ...row, user };
    return REPORT_COLUMNS.map((c) => quote(full[c])).join(',');
  });
  return [REPORT_COLUMNS.join(','), ...lines].join('\n');
}
