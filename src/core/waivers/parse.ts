import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import type { Waiver, WaiversFile } from '../../model/generated/waivers.js';
import { DAY_MS } from '../util/time.js';
import { didYouMean } from '../util/suggest.js';
import { validate as validateWaiverFile } from '../validation/generated/waivers.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import { parseYamlSource, type YamlSource } from '../yaml/source.js';
import { expiryTime } from './expiry.js';
import { waiverBreadth } from './match.js';

export type { Waiver, WaiversFile };

/** Default furthest expiry of a waiver, in days after the evaluation time. */
export const DEFAULT_MAX_EXPIRY_DAYS = 365;

/** A validated waiver with where it was written. */
export interface LoadedWaiver extends Waiver {
  /** The waiver's id, or a stable id derived from its position-independent fields. */
  id: string;
  /** `file:line`, for reports. */
  source: string;
  /** Expiry as epoch milliseconds (a bare date holds through the end of that day, UTC). */
  expiresAt: number;
}

/** What the waiver loader needs besides the text. */
export interface WaiverParseOptions {
  /** The evaluation time ("now"), ISO 8601; the core never reads the clock. */
  now: string;
  /** Overrides the file's maxExpiryDays. */
  maxExpiryDays?: number;
  /** Rule ids that exist; a waiver naming another rule is an error with a suggestion. */
  knownRules?: readonly string[];
}

/**
 * Parses and validates a waivers file. Every problem is reported at once, each
 * with file, line and JSON pointer. Expired waivers are valid (they are reported,
 * not rejected); an expiry beyond the maximum horizon is an error.
 * @throws InputError
 */
export function parseWaivers(text: string, file: string, options: WaiverParseOptions): LoadedWaiver[] {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) throw new InputError(source.errors, `invalid waivers file ${file}`);
  const value = source.value ?? {};
  const validate = validateWaiverFile;
  const diagnostics: Diagnostic[] = [];
  if (!validate(value))
    diagnostics.push(...schemaDiagnostics(validate.errors ?? [], { ...source, value }).map((d) => withQuoteHint(d, value)));
  else diagnostics.push(...semanticErrors(value as WaiversFile, source, options));
  if (diagnostics.length > 0) throw new InputError(diagnostics, `invalid waivers file ${file}`);
  return (value as WaiversFile).waivers.map((waiver, index) => ({
    ...waiver,
    id: waiver.id ?? derivedId(waiver),
    source: `${file}:${source.locate(`/waivers/${index}`).line ?? '?'}`,
    expiresAt: expiryTime(waiver.expires),
  }));
}

/** Account ids written without quotes become numbers in YAML (and lose leading zeros). */
function withQuoteHint(d: Diagnostic, value: unknown): Diagnostic {
  if (!/\/waivers\/\d+\/account$/.test(d.pointer ?? '')) return d;
  const index = Number((d.pointer ?? '').split('/')[2]);
  const account = (value as { waivers?: { account?: unknown }[] }).waivers?.[index]?.account;
  return typeof account === 'number'
    ? { ...d, message: 'account must be a string', suggestion: "quote the account id, e.g. account: '012345678901'" }
    : d;
}

function semanticErrors(file: WaiversFile, source: YamlSource, options: WaiverParseOptions): Diagnostic[] {
  const now = Date.parse(options.now);
  const maxDays = options.maxExpiryDays ?? file.maxExpiryDays ?? DEFAULT_MAX_EXPIRY_DAYS;
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  file.waivers.forEach((waiver, index) => {
    const at = (field: string) => source.locate(`/waivers/${index}/${field}`);
    const expires = expiryTime(waiver.expires);
    if (Number.isNaN(expires)) {
      diagnostics.push({
        severity: 'error',
        ...at('expires'),
        message: `'${waiver.expires}' is not a valid date or time`,
        suggestion: 'e.g. expires: 2027-03-31',
      });
    } else if (expires - now > maxDays * DAY_MS) {
      diagnostics.push({
        severity: 'error',
        ...at('expires'),
        message: `expires ${waiver.expires}, more than ${maxDays} days after ${options.now}`,
        suggestion: 'choose a nearer expiry and review the waiver again then (or raise maxExpiryDays)',
      });
    }
    if (options.knownRules && waiver.rule !== '*' && !options.knownRules.includes(waiver.rule)) {
      diagnostics.push({
        severity: 'error',
        ...at('rule'),
        message: `unknown rule '${waiver.rule}'`,
        suggestion: didYouMean(waiver.rule, options.knownRules),
      });
    }
    if (waiver.catchAll !== true && waiverBreadth(waiver) === 'catch-all')
      diagnostics.push({
        severity: 'error',
        ...at('principal'),
        message: `this waiver matches every finding (rule '${waiver.rule}', account '${waiver.account}', principal '${waiver.principal}'): it would pass every gate`,
        suggestion: 'name the rule, account or principals it is for; if waiving everything really is intended, add catchAll: true',
      });
    const id = waiver.id ?? derivedId(waiver);
    const first = seen.get(id);
    if (first !== undefined)
      diagnostics.push({ severity: 'error', ...at(waiver.id ? 'id' : ''), message: `duplicate waiver (same as /waivers/${first})` });
    else seen.set(id, index);
  });
  return diagnostics.map((d) => (d.pointer?.endsWith('/') ? { ...d, pointer: d.pointer.slice(0, -1) } : d));
}

/** A readable id from what the waiver matches, stable across reordering of the file. */
export function derivedId(waiver: Waiver): string {
  return [waiver.rule, waiver.account, waiver.principal, waiver.credential ?? '*'].join('|');
}
