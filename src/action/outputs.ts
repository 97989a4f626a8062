import type { ScanResult } from '../model/index.js';
import { SEVERITIES } from '../model/index.js';

/** The action's outputs: open counts by severity, totals, and the report paths. */
export function actionOutputs(result: ScanResult, reportPaths: Readonly<Record<string, string>>, exitCode: number): Record<string, string> {
  const { summary } = result;
  return {
    ...Object.fromEntries(SEVERITIES.map((s) => [s, String(summary.bySeverity[s])])),
    open: String(summary.open),
    waived: String(summary.waived),
    new: String(summary.new ?? 0),
    resolved: String(result.resolved?.length ?? 0),
    'accounts-scanned': String(summary.accounts.scanned),
    'accounts-failed': String(summary.accounts.failed),
    'exit-code': String(exitCode),
    ...Object.fromEntries(Object.entries(reportPaths).map(([format, path]) => [`${format}-report`, path])),
  };
}

/**
 * Renders outputs for the $GITHUB_OUTPUT file. Every value goes in the
 * heredoc form with a delimiter that does not occur in it, so a value can never
 * set another output.
 */
export function githubOutputText(outputs: Readonly<Record<string, string>>, delimiterSeed: string): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      let delimiter = `credwarden_${delimiterSeed}`;
      while (value.includes(delimiter)) delimiter += '_';
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}
