import { htmlReportChunks } from './html/report.js';
import { defineFormatter, wholeResultSink, type FormatterEntry } from './types.js';

/**
 * One self-contained HTML file: inline CSS, JS and SVG, no network request, a CSP that allows
 * only its own inline blocks. The page is produced chunk by chunk (htmlReportChunks).
 */
export const htmlFormatter: FormatterEntry = defineFormatter({
  name: 'html',
  description: 'self-contained HTML report with charts, control matrix, filterable findings and plans',
  extension: 'html',
  infersFrom: ['html', 'htm'],
  open: (header, context) => wholeResultSink(header, (result) => htmlReportChunks(result, context)),
});
