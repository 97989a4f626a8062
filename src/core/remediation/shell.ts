/**
 * Commands people paste into a shell. Every value in a command comes from a credential report,
 * which a tampered file can fill with anything: it must reach the AWS CLI as exactly one argument,
 * never as shell code, an option or a redirection. Two defences, both here:
 * - at load, a command template may put a placeholder only where a value can be quoted safely
 *   (never inside quotes, backticks or `$(…)`, never at the start of a word that is not an option's value);
 * - at render (template.ts fillCommand), `--option {{name}}` is written `--option=VALUE`, VALUE shell-quoted.
 */

/** `{{ name }}` placeholders (the same syntax as template.ts). */
const PLACEHOLDER_AT = /^\{\{\s*([A-Za-z][\w.]*)\s*\}\}/;

/** Characters that need no quoting in a POSIX shell word; a leading `-` is quoted so it reads as a value. */
const SHELL_SAFE = /^[A-Za-z0-9_+=,.@:/][A-Za-z0-9_+=,.@:/-]*$/;

/** Printable ASCII: plain single quotes keep it exactly. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Quotes a value for a POSIX shell so that it is exactly one word with exactly these bytes.
 * Real IAM names need no quotes. Anything else is single-quoted; a value with control or
 * non-ASCII characters uses `$'…'` with `\xHH` bytes, so the command stays on one line and
 * invisible characters (bidi overrides, zero-width spaces) are shown, not hidden.
 */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  if (PRINTABLE_ASCII.test(value)) return `'${value.replace(/'/g, "'\\''")}'`;
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += char;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${out}'`;
}

/** Where a scan of a command template is: plain text, or inside one of these. */
type Context = "'" | '"' | '`' | '$(' | '${';

const CONTEXT_NAME: Readonly<Record<Context, string>> = {
  "'": 'single quotes',
  '"': 'double quotes',
  '`': 'backticks',
  '$(': '$(…)',
  '${': '${…}',
};

/** Characters that end a shell word or start an operator. */
const WORD_BREAK = /[ \t;&|()<>]/;

/**
 * Problems of a command template that would let a value become code, an option or a
 * redirection: a placeholder inside quotes, backticks, `$(…)` or `${…}` (credwarden quotes every
 * value itself, and a value inside someone else's quotes can close them), or a placeholder that
 * starts a word without being the value of an `--option` (a name such as `--debug` would be read
 * as an option, and after `<` or `>` as a file to redirect).
 */
export function commandTemplateProblems(template: string): { message: string; suggestion?: string }[] {
  const problems: { message: string; suggestion?: string }[] = [];
  const stack: Context[] = [];
  let i = 0;
  while (i < template.length) {
    const rest = template.slice(i);
    const placeholder = PLACEHOLDER_AT.exec(rest);
    if (placeholder) {
      const problem = placeholderProblem(template, i, placeholder[0], stack.at(-1));
      if (problem) problems.push(problem);
      i += placeholder[0].length;
      continue;
    }
    i += step(rest, stack);
  }
  return problems;
}

/** Advances the quote/substitution state over one token of `rest`; returns how many characters it used. */
function step(rest: string, stack: Context[]): number {
  const top = stack.at(-1);
  const char = rest[0]!;
  if (top === "'") {
    if (char === "'") stack.pop();
    return 1;
  }
  if (char === '\\') return 2;
  if (top === '`' && char === '`') {
    stack.pop();
    return 1;
  }
  if (top === '"' && char === '"') {
    stack.pop();
    return 1;
  }
  if (rest.startsWith('$(') || rest.startsWith('${')) {
    stack.push(rest.slice(0, 2) as Context);
    return 2;
  }
  if ((top === '$(' && char === ')') || (top === '${' && char === '}')) {
    stack.pop();
    return 1;
  }
  if (char === '`' || char === '"' || (char === "'" && top !== '"')) stack.push(char as Context);
  return 1;
}

function placeholderProblem(
  template: string,
  at: number,
  text: string,
  context: Context | undefined,
): { message: string; suggestion: string } | undefined {
  if (context !== undefined) {
    return {
      message: `placeholder '${text}' is inside ${CONTEXT_NAME[context]} in a command: a value there can close them and run as code`,
      suggestion: `leave ${text} outside any quotes: credwarden shell-quotes every value itself`,
    };
  }
  const before = template.slice(0, at);
  const previous = before.at(-1);
  // Inside a word (arn:…/{{user}}, Key={{keyId}}): the word already started, so the value cannot start it.
  if (previous !== undefined && !WORD_BREAK.test(previous)) return undefined;
  if (/(^|[ \t])--[A-Za-z0-9][\w-]*[ \t]+$/.test(before)) return undefined;
  return {
    message: `placeholder '${text}' starts a word of a command without being an --option's value: a name such as '--debug' would be read as an option, and after '<' or '>' as a redirection`,
    suggestion: `give it as the value of an option (--name ${text}, written --name=VALUE), or inside a word (arn:…/${text})`,
  };
}
