import type { Severity } from '../../model/index.js';
import { PALETTE, type Pattern, type Series } from './svg.js';

/** How each severity is drawn: a colour-blind-safe colour and a distinct fill pattern. */
export const SEVERITY_STYLE: Readonly<Record<Severity, { color: string; pattern: Pattern }>> = {
  critical: { color: PALETTE.vermillion, pattern: 'solid' },
  high: { color: PALETTE.orange, pattern: 'diagonal' },
  medium: { color: PALETTE.purple, pattern: 'dots' },
  low: { color: PALETTE.sky, pattern: 'horizontal' },
  info: { color: PALETTE.grey, pattern: 'vertical' },
};

/** One series per severity, with its style. */
export function severitySeries(severities: readonly Severity[], values: (severity: Severity) => readonly number[]): Series[] {
  return severities.map((severity) => ({ name: severity, ...SEVERITY_STYLE[severity], values: values(severity) }));
}
