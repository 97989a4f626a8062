import { fileURLToPath } from 'node:url';
import { REPORT_COLUMNS, type ReportColumn } from '../../src/core/report/columns.js';
import { completeRow } from '../../src/core/rules/testing/rows.js';

/** Real AWS credential reports, copied from the shared fixtures into the repo. */
export const realReportsDir = fileURLToPath(new URL('../fixtures/real-world-credential-reports/', import.meta.url));

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds credential report CSV text; unspecified columns describe a user with no credentials. */
export function reportCsv(rows: Partial<Record<ReportColumn, string>>[], accountId = '111122223333'): string {
  const lines = rows.map((row) => {
    const full = completeRow(row, accountId);
    return REPORT_COLUMNS.map((c) => quote(full[c])).join(',');
  });
  return [REPORT_COLUMNS.join(','), ...lines].join('\n');
}
