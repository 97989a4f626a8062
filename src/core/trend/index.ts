export {
  buildTrend,
  resultAsOf,
  type Trend,
  type TrendInput,
  type TrendPoint,
  type RuleRemediation,
  type AgedFinding,
  type LostAccount,
} from './build.js';
export { TREND_FORMATS, trendJson, trendMarkdown, trendText, type TrendFormat } from './render.js';
export { trendHtml } from './html.js';

import type { Trend } from './build.js';
import { trendHtml } from './html.js';
import { trendJson, trendMarkdown, trendText, type TrendFormat } from './render.js';

/** The trend in one of {@link TREND_FORMATS}. */
export function formatTrend(trend: Trend, format: TrendFormat): string {
  switch (format) {
    case 'markdown':
      return trendMarkdown(trend);
    case 'json':
      return trendJson(trend);
    case 'html':
      return trendHtml(trend);
    default:
      return trendText(trend);
  }
}
