/**
 * The shell of credwarden's self-contained HTML pages (the report and the trend): one file with
 * inline CSS, JS and SVG and nothing else. Its Content-Security-Policy allows exactly the inline
 * style and script blocks of the page, by hash, and no source at all for anything else (no
 * network, no frames, no forms), so the page works opened from disk, mailed or attached to a
 * ticket, and an injected tag could neither run nor load anything.
 */
import { sha256Base64 } from '../../util/hash.js';
import { escapeHtml, visibleControls } from '../../util/escape.js';

/** The page's CSS: screen and print. */
export const PAGE_CSS = `
:root { --fg:#1b1b1b; --muted:#555; --line:#d0d0d0; --bg:#fff; --panel:#f6f6f6; --focus:#0072B2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .92em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0 1rem; }
.card { border: 1px solid var(--line); border-left-width: 8px; border-radius: 6px; padding: .5rem .9rem; min-width: 8.5rem; background: var(--bg); }
.card .n { font-size: 1.7rem; font-weight: 700; display: block; }
.sev { display: inline-block; padding: 0 .4rem; border-radius: 3px; border: 1px solid currentColor; font-weight: 600; font-size: .85em; white-space: nowrap; }
.sev-critical { color: #9a3700; } .sev-high { color: #7a5200; } .sev-medium { color: #8a3c6d; } .sev-low { color: #005483; } .sev-info { color: #4a4a4a; }
.card.sev-critical { border-left-color: #D55E00; } .card.sev-high { border-left-color: #E69F00; } .card.sev-medium { border-left-color: #CC79A7; } .card.sev-low { border-left-color: #56B4E9; } .card.sev-info { border-left-color: #6E6E6E; }
.st { font-weight: 600; white-space: nowrap; } .st-open { color: #9a3700; } .st-waived { color: #4a4a4a; }
#findings td:nth-child(7) { min-width: 22rem; } #findings td.controls { min-width: 7rem; }
th button.sort { all: unset; cursor: pointer; font-weight: 700; } th button.sort::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; color: var(--fg); } th[aria-sort="descending"] button.sort::after { content: " \\25BC"; color: var(--fg); }
th button.sort:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; } .st-failed { color: #9a3700; } .st-passed { color: #00664a; } .st-partial { color: #7a5200; } .st-not-evaluated { color: #4a4a4a; } .st-accepted { color: #9a3700; } .st-deviates { color: #7a5200; } .st-out-of-scope { color: #4a4a4a; } .st .muted { white-space: normal; font-weight: 400; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 1.25rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg.chart { max-width: 100%; height: auto; display: block; }
details > summary { cursor: pointer; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .5rem 0; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; gap: .15rem; }
input, select, button { font: inherit; padding: .25rem .4rem; }
button { cursor: pointer; border: 1px solid #777; border-radius: 4px; background: var(--panel); }
.pager { display: flex; gap: .6rem; align-items: center; margin: .5rem 0; }
.plan { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .3rem .7rem; }
.plan ol { padding-left: 1.4rem; } .plan li { margin: .35rem 0; }
.cmd { display: flex; gap: .4rem; align-items: flex-start; margin: .2rem 0; }
.cmd pre { margin: 0; flex: 1; background: var(--panel); padding: .3rem .5rem; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.caution { border-left: 4px solid #E69F00; padding-left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .filters, .pager, button.copy, .no-print { display: none !important; }
  details { display: block; } details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
  h2 { break-after: avoid; } figure, tr, .plan, .card { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .charts { display: block; } figure { margin-bottom: 1rem; }
}
`;

/** What a page holds. */
export interface PageParts {
  title: string;
  /** Body HTML (already escaped). */
  body: string;
  /** The page's script, or nothing. */
  script?: string;
  /** JSON data for the script, embedded once as an inert `application/json` block. */
  data?: unknown;
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` (so no
 * `</script>` or `<!--` can end or change the block) and the line separators U+2028/U+2029 are
 * written as \\u escapes, which JSON.parse reads back unchanged.
 */
export function jsonForScript(value: unknown): string {
  // Strings are what the page shows: control and invisible characters as visible escapes.
  const shown = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? visibleControls(v, true) : v));
  return shown.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The Content-Security-Policy of a page with this CSS and script. */
export function contentSecurityPolicy(css: string, script: string | undefined): string {
  const scriptSrc = script === undefined ? "'none'" : `'sha256-${sha256Base64(script)}'`;
  return `default-src 'none'; style-src 'sha256-${sha256Base64(css)}'; script-src ${scriptSrc}; img-src data:; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'`;
}

/** The page's opening, up to and including `<body>`. */
export function pageHead(title: string, script: string | undefined): string {
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(PAGE_CSS, script)}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${PAGE_CSS}</style>\n</head>\n<body>\n`
  );
}

/** The page's end: the data block, the script, `</body></html>`. */
export function pageTail(script: string | undefined, data?: unknown): string {
  const dataBlock = data === undefined ? '' : `<script type="application/json" id="credwarden-data">${jsonForScript(data)}</script>\n`;
  return `${dataBlock}${script === undefined ? '' : `<script>${script}</script>\n`}</body>\n</html>\n`;
}

/** A whole page at once (small pages such as the trend). */
export function htmlPage(parts: PageParts): string {
  return `${pageHead(parts.title, parts.script)}${parts.body}\n${pageTail(parts.script, parts.data)}`;
}
