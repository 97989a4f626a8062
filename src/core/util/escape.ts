/**
 * Escaping helpers shared by the report formatters. Every value that comes from
 * a credential report (user names, paths, messages) is attacker-influenced:
 * IAM user names may contain `+=,.@_-`, and paths may contain more.
 */

const LINE_BREAKS = /\r\n|\r|\n/g;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Neutralises a CSV cell the way OWASP recommends: a cell starting with `=`, `+`,
 * `-`, `@`, tab or carriage return gets a leading single quote, so spreadsheet
 * applications show it as text instead of evaluating it. Every line inside the
 * cell is treated the same way, so a line break in a value cannot start an
 * unguarded row for a tool that splits on line ends, and a line can never start
 * with `::` (a GitHub workflow command when the CSV is printed in a CI log).
 */
export function neutraliseFormula(cell: string): string {
  const guarded = cell.replace(/(\r\n|\r|\n)([^\r\n]*)/g, (whole, lineEnd: string, line: string) =>
    startsDangerously(line) ? `${lineEnd}'${line}` : whole,
  );
  return startsDangerously(cell) ? `'${guarded}` : guarded;
}

function startsDangerously(line: string): boolean {
  return FORMULA_TRIGGERS.has(line[0] ?? '') || /^[ \t]*::/.test(line);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes HTML special characters, so names cannot inject markup into a rendered report.
 * Control and invisible characters are shown as escapes (`\u202e`), so a name cannot reorder
 * or hide itself on the page, and line breaks become `&#10;` (the same character to a browser),
 * so that no value starts a line of the page's source (a workflow command when it is printed
 * in a CI log).
 */
export function escapeHtml(text: string): string {
  return visibleControls(text, true)
    .replace(/[&<>"]/g, (c) => HTML_ENTITIES[c] as string)
    .replace(/\n/g, '&#10;');
}

/**
 * Escapes text for a Markdown table cell: HTML is neutralised, pipes and
 * backslashes cannot end the cell, line breaks become `<br>`, and Markdown
 * emphasis and code characters are shown literally.
 */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkdownText(visibleControls(text.replace(LINE_BREAKS, '\n'), true))
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Escapes text for inline Markdown (headings, list items): HTML, backslashes and Markdown punctuation. */
export function escapeMarkdownInline(text: string): string {
  return escapeMarkdownText(visibleControls(text.replace(LINE_BREAKS, '\n'), true)).replace(LINE_BREAKS, ' ');
}

/** HTML, backslashes and Markdown punctuation escaped; line breaks kept. */
function escapeMarkdownText(text: string): string {
  return (
    // Quotes stay: outside an attribute they cannot end anything, and `&quot;` reads badly in plain text.
    text
      .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] as string)
      .replace(/\\/g, '\\\\')
      .replace(/([`*[\]#~!])/g, '\\$1')
      // An underscore inside a word (access_key_1) never starts emphasis; escape only the others.
      .replace(/_/g, (u, at: number, all: string) =>
        /[A-Za-z0-9]/.test(all[at - 1] ?? '') && /[A-Za-z0-9]/.test(all[at + 1] ?? '') ? u : '\\_',
      )
  );
}

/**
 * Wraps text as an inline code span that cannot be broken out of: the fence is
 * one backtick longer than the longest run inside. In a table, pipes are still
 * escaped (GitHub splits cells before it parses code spans).
 */
export function markdownCode(text: string, inTable = true): string {
  const flat = visibleControls(text.replace(LINE_BREAKS, '\n'), true).replace(LINE_BREAKS, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  const body = inTable ? padded.replace(/\|/g, '\\|') : padded;
  return `${fence}${body}${fence}`;
}

/**
 * Escapes a value for XML element content and attribute values. Control
 * characters (which XML 1.0 forbids or a viewer would act on) and line breaks are
 * shown as visible escapes, so a value never spans lines.
 */
export function escapeXml(text: string): string {
  return visibleControls(text)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Escapes the message part of a GitHub workflow command (`::error ...::MESSAGE`). */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a GitHub workflow command (`title=VALUE`): also `:` and `,`. */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Characters a terminal or log viewer would act on instead of showing: C0 controls and DEL
 * (ESC starts ANSI sequences, BEL rings, NUL truncates, CR overwrites the line), C1 controls
 * (U+0080–U+009F, CSI among them), Unicode line and paragraph separators, and the bidirectional
 * overrides, isolates and marks that reorder text ("Trojan Source"). Tab and line feed are left to
 * the callers: {@link visibleControls} keeps line feeds only when asked.
 *
 * Also every character a reader cannot see, which would make two different names look the same
 * (`admin` and `admin` + U+200B): format characters (zero-width space, joiners, word joiner,
 * soft hyphen, byte-order mark, invisible operators, tag characters), Hangul and other fillers, and spaces other than U+0020 (no-break, en, em, ideographic, …).
 */
const INVISIBLE =
  '\\u00A0\\u00AD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u206F\\u2800\\u3000\\u3164\\uFEFF\\uFFA0\\uFFF0-\\uFFFB\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E007F}';
/**
 * The characters {@link visibleControls} shows as escapes (line feed aside), as the body of a
 * regular expression character class for the `u` flag: for fast paths that test a value once.
 */
export const CONTROL_CHARACTERS = `\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${INVISIBLE}`;
// eslint-disable-next-line no-misleading-character-class -- each invisible character is matched alone, on purpose
const CONTROL = new RegExp(`[${CONTROL_CHARACTERS}]`, 'gu');
// eslint-disable-next-line no-misleading-character-class -- each invisible character is matched alone, on purpose
const CONTROL_OR_LINE_BREAK = new RegExp(`[\\u0000-\\u0008\\n\\u000B-\\u001F\\u007F-\\u009F${INVISIBLE}]`, 'gu');

function visible(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Renders control characters visibly (`\x1b`, `\x07`, `\x00`, `\u202e`) so that text from a
 * report, from AWS or from an error cannot drive the terminal or hide itself. Line feeds are
 * rendered too unless `keepLineFeeds` (multi-line messages); tabs are kept.
 */
export function visibleControls(text: string, keepLineFeeds = false): string {
  return text.replace(keepLineFeeds ? CONTROL : CONTROL_OR_LINE_BREAK, visible);
}

/**
 * Stops a line from being read as a GitHub Actions workflow command (`::set-env …`,
 * `::add-mask::…`, or the legacy `##[command]`): the runner obeys such lines on stdout and
 * stderr when they start a line (after optional white space). The `::` or `##[` is rendered as
 * `\x3a:` / `\x23#[`: visible, and no longer a command.
 */
export function neutraliseWorkflowCommands(text: string): string {
  return text.replace(/^([ \t]*)(::|##\[)/gm, (_, space: string, marker: string) => `${space}${marker === '::' ? '\\x3a:' : '\\x23#['}`);
}

/**
 * Text safe to print for a person or a CI runner (stderr lines, terminal tables): control
 * characters visible, line feeds kept, no line that a runner would take as a workflow command.
 */
export function terminalText(text: string): string {
  return neutraliseWorkflowCommands(visibleControls(text, true));
}

/**
 * For report text that has no control characters of its own, only line ends
 * (Markdown, the job summary): shows any control character that reached it,
 * whichever part of the report it came from (e.g. remediation plans), and
 * guards the line starts.
 */
export function* guardPlainText(chunks: Iterable<string>): Generator<string> {
  for (const chunk of guardWorkflowCommands(chunks)) yield visibleControls(chunk, true);
}

/** The end of a chunk that may still become a workflow command once the next chunk arrives. */
const UNDECIDED_LINE_START = /(?:^|[\r\n])[ \t]*(?::|#|##)?$/;

/**
 * {@link neutraliseWorkflowCommands} over a report written in chunks, which may
 * split a line anywhere: a line start is held back only until it is known not
 * to be `::` or `##[`, and text that continues a line is never taken for a line start.
 */
export function* guardWorkflowCommands(chunks: Iterable<string>): Generator<string> {
  let carry = '';
  let atLineStart = true;
  for (const chunk of chunks) {
    const text = carry + chunk;
    const undecided = UNDECIDED_LINE_START.exec(text);
    const cut = undecided && (undecided.index > 0 || atLineStart) ? undecided.index + (/^[\r\n]/.test(undecided[0]) ? 1 : 0) : text.length;
    const ready = text.slice(0, cut);
    carry = text.slice(cut);
    if (ready.length === 0) continue;
    yield guardedPiece(ready, atLineStart);
    atLineStart = /[\r\n]$/.test(ready);
  }
  if (carry.length > 0) yield guardedPiece(carry, atLineStart);
}

function guardedPiece(text: string, atLineStart: boolean): string {
  if (atLineStart) return neutraliseWorkflowCommands(text);
  const firstBreak = text.search(/[\r\n]/);
  return firstBreak < 0 ? text : text.slice(0, firstBreak + 1) + neutraliseWorkflowCommands(text.slice(firstBreak + 1));
}

/** C1 controls and the invisible characters of {@link INVISIBLE}: all outside ASCII. */
// eslint-disable-next-line no-misleading-character-class -- each invisible character is matched alone, on purpose
const NON_ASCII_INVISIBLE = new RegExp(`[\\u0080-\\u009F${INVISIBLE}]`, 'gu');

/** `\uXXXX` (a surrogate pair for characters beyond U+FFFF): valid inside a JSON or JavaScript string, and visible anywhere. */
function unicodeEscape(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * JSON text with C1 controls, bidi controls and invisible characters written as `\uXXXX`
 * escapes: the same JSON value (they only occur inside strings, where the escape means the
 * character), but nothing a terminal acts on and nothing hidden from a reader.
 */
export function escapeInvisibleInJson(json: string): string {
  return json.replace(NON_ASCII_INVISIBLE, unicodeEscape);
}

/**
 * The last guard of a report written to standard output, whatever its format: no line
 * starts a workflow command, and no C1 control or invisible character is written raw (each
 * becomes `\uXXXX`, which keeps JSON valid). ASCII controls are left to the formatters, so
 * the text report's own colours pass.
 */
export function* guardTerminalOutput(chunks: Iterable<string>): Generator<string> {
  for (const chunk of guardWorkflowCommands(chunks)) yield escapeInvisibleInJson(chunk);
}
