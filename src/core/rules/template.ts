import type { Diagnostic, SourceLocation } from '../../model/index.js';
import { didYouMean } from '../util/suggest.js';
import { FIELDS, resolveField, type FieldScope } from './fields.js';
import type { EvalFrame } from './frame.js';

/** A compiled message template. */
export type Template = (frame: EvalFrame) => string;

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The `{{credential}}` label of the subject being evaluated. */
function itemLabel(f: EvalFrame): string {
  if (f.key) return `access_key_${f.key.slot}`;
  if (f.cert) return `cert_${f.cert.slot}`;
  if (f.serviceCredential) return `service credential ${f.serviceCredential.id}`;
  if (f.sshPublicKey) return `SSH public key ${f.sshPublicKey.id}`;
  if (f.serverCertificate) return `server certificate ${f.serverCertificate.name}`;
  return 'principal';
}

/** Special placeholders beside fields: the credential label and rule parameters. */
function specialGetter(path: string, params: Readonly<Record<string, unknown>>): ((f: EvalFrame) => unknown) | undefined {
  if (path === 'credential') return (f) => f.credential?.id ?? itemLabel(f);
  if (path.startsWith('params.')) {
    const name = path.slice('params.'.length);
    return name in params ? () => params[name] : undefined;
  }
  return undefined;
}

/**
 * Compiles `{{field.path}}`, `{{params.name}}` and `{{credential}}` placeholders.
 * Unknown placeholders are reported in `diagnostics`; the field paths read are added to `reads`.
 */
export function compileTemplate(
  text: string,
  scopes: ReadonlySet<FieldScope>,
  params: Readonly<Record<string, unknown>>,
  location: SourceLocation,
  diagnostics: Diagnostic[],
  reads?: Set<string>,
): Template {
  const parts: (string | ((f: EvalFrame) => unknown))[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const path = match[1] ?? '';
    parts.push(text.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    const special = specialGetter(path, params);
    const field = resolveField(path);
    if (special) parts.push(special);
    else if (field && scopes.has(field.scope)) {
      parts.push(field.get);
      reads?.add(path);
    } else {
      const candidates = [...Object.keys(FIELDS), 'credential', ...Object.keys(params).map((p) => `params.${p}`)];
      diagnostics.push({
        severity: 'error',
        ...location,
        message: `unknown placeholder '{{${path}}}' in message`,
        suggestion: didYouMean(path, candidates),
      });
    }
  }
  parts.push(text.slice(last));
  // The message is joined into one flat string: `+=` would make a rope (a node per part) that
  // lives with its finding until a report flattens it, copied by every young-generation
  // collection on the way. The literal pieces are set once; each call sets the values (a
  // template is called synchronously and never from within itself, so one array serves).
  const pieces = parts.map((part) => (typeof part === 'string' ? part : ''));
  const valueAt = parts.flatMap((part, i) => (typeof part === 'string' ? [] : [i]));
  const getters = valueAt.map((i) => parts[i] as (f: EvalFrame) => unknown);
  return (frame) => {
    for (let v = 0; v < getters.length; v++) pieces[valueAt[v]!] = show(getters[v]!(frame));
    return pieces.join('');
  };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'n/a';
  // Ages are exact fractions of days; people read whole days ("91 days ago").
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.floor(value));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
