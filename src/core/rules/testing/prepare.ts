import type {
  Account,
  CaseRow,
  Credential,
  Diagnostic,
  InvalidCase,
  Principal,
  RuleCasesFile,
  RuleFile,
  SourceLocation,
  ValidCase,
} from '../../../model/index.js';
import type { ReportColumn } from '../../report/columns.js';
import { normaliseRow, RowError } from '../../report/normalise.js';
import { didYouMean } from '../../util/suggest.js';
import { declaredParameter, parameterProblem, type RuleDefinition } from '../definition.js';
import type { Sourced } from '../settings.js';
import { CASE_ACCOUNT_ID, completeRow } from './rows.js';
import { ITEM_CREDENTIAL_PREFIX } from '../items.js';

/** A finding a case expects, with where the case says so. */
export interface ExpectedAt {
  principal: string;
  credential: Credential;
  location: SourceLocation;
}

/** One case of a table, checked and turned into the account it describes. */
export interface PreparedCase {
  kind: 'valid' | 'invalid';
  name: string;
  /** The case in its table: file, line and JSON pointer (e.g. /invalid/2). */
  location: SourceLocation;
  account: Account;
  /** The parameter values the case sets; the rule's defaults apply to the others. */
  params: Record<string, unknown>;
  /** Empty for a valid case. */
  expected: ExpectedAt[];
}

/** The credentials a finding of each subject can be about. */
const SUBJECT_CREDENTIALS: Readonly<Record<RuleFile['subject'], readonly Credential[]>> = {
  principal: [null],
  password: ['password'],
  accessKey: ['access_key_1', 'access_key_2'],
  certificate: ['cert_1', 'cert_2'],
  credential: ['password', 'access_key_1', 'access_key_2'],
  serverCertificate: [],
  serviceCredential: [],
  sshPublicKey: [],
};

/** Whether a finding of `subject` can be about `credential`: one of the subject's slots, or `<kind>:<id>` for an item subject. */
function possibleCredential(subject: RuleFile['subject'], credential: Credential): boolean {
  const prefix = (ITEM_CREDENTIAL_PREFIX as Partial<Record<string, string>>)[subject];
  if (prefix !== undefined)
    return typeof credential === 'string' && credential.startsWith(`${prefix}:`) && credential.length > prefix.length + 1;
  return SUBJECT_CREDENTIALS[subject].includes(credential);
}

/** Columns holding times: the only ones where `T-90d` is read as a relative time. */
const TIME_COLUMNS: ReadonlySet<ReportColumn> = new Set([
  'user_creation_time',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'cert_1_last_rotated',
  'cert_2_last_rotated',
]);

const RELATIVE_TIME = /^T(?:([+-])(\d+(?:\.\d+)?)([dhm]))?$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/**
 * Checks every case of a rule's table against the rule and builds the account each case
 * describes. Finds every problem at once (unknown parameters, bad cells, findings the rule
 * can never report, facts for users the rows do not have), each with file, line and pointer.
 */
export function prepareCases(
  definition: RuleDefinition,
  table: Sourced<RuleCasesFile>,
): { cases: PreparedCase[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const cases: PreparedCase[] = [];
  const lists = [
    ['valid', table.value.valid],
    ['invalid', table.value.invalid],
  ] as const;
  for (const [kind, list] of lists) {
    list.forEach((testCase: ValidCase | InvalidCase, i) => {
      const pointer = `/${kind}/${i}`;
      const prepared = prepareCase(definition, table, testCase, kind, pointer, diagnostics);
      if (prepared) cases.push(prepared);
    });
  }
  return { cases, diagnostics };
}

function prepareCase(
  definition: RuleDefinition,
  table: Sourced<RuleCasesFile>,
  testCase: ValidCase | InvalidCase,
  kind: PreparedCase['kind'],
  pointer: string,
  diagnostics: Diagnostic[],
): PreparedCase | undefined {
  const before = diagnostics.length;
  const { source } = table;
  const asOf = testCase.asOf ?? table.value.asOf;
  const params = checkParams(definition, testCase.params ?? {}, table, pointer, diagnostics);
  const principals = testCase.rows.map((row, j) => principalOf(row, Date.parse(asOf), table, `${pointer}/rows/${j}`, diagnostics));
  if (diagnostics.length > before) return undefined; // principal names cannot be checked against rows that could not be read
  const byName = indexByName(principals as Principal[], table, pointer, diagnostics);
  attachPrincipalFacts(byName, testCase.principalFacts ?? {}, table, pointer, diagnostics);
  const expected = 'findings' in testCase ? checkExpected(definition, testCase, byName, table, pointer, diagnostics) : [];
  if (diagnostics.length > before) return undefined;
  const account: Account = {
    id: CASE_ACCOUNT_ID,
    reportGeneratedTime: asOf,
    principals: principals as Principal[],
    ...(testCase.accountFacts ? { facts: testCase.accountFacts } : {}),
  };
  return { kind, name: testCase.name, location: source.locate(pointer), account, params, expected };
}

function checkParams(
  definition: RuleDefinition,
  params: Record<string, unknown>,
  table: Sourced<RuleCasesFile>,
  pointer: string,
  diagnostics: Diagnostic[],
): Record<string, unknown> {
  const declared = definition.rule.parameters ?? {};
  const known = Object.keys(declared);
  for (const [name, value] of Object.entries(params)) {
    const parameter = declaredParameter(definition.rule, name);
    if (!parameter) {
      const suggestion =
        didYouMean(name, known) ?? (known.length > 0 ? `parameters: ${known.join(', ')}` : 'this rule takes no parameters');
      diagnostics.push({
        severity: 'error',
        ...table.source.locateKey(`${pointer}/params`, name),
        pointer: `${pointer}/params/${name}`,
        message: `rule '${definition.rule.id}' has no parameter '${name}'`,
        suggestion,
      });
      continue;
    }
    const problem = parameterProblem(parameter, value);
    if (problem)
      diagnostics.push({
        severity: 'error',
        ...table.source.locate(`${pointer}/params/${name}`),
        message: `parameter '${name}' ${problem}`,
      });
  }
  return params;
}

/** Reads one row the way a credential report row is read, after resolving relative times. */
function principalOf(
  row: CaseRow,
  asOfMs: number,
  table: Sourced<RuleCasesFile>,
  pointer: string,
  diagnostics: Diagnostic[],
): Principal | undefined {
  const cells: Partial<Record<ReportColumn, string>> = {};
  let readable = true;
  for (const [column, value] of Object.entries(row) as [ReportColumn, string | boolean][]) {
    const time = TIME_COLUMNS.has(column) && typeof value === 'string' ? resolveTime(value, asOfMs) : { value: String(value) };
    if ('value' in time) cells[column] = time.value;
    else {
      readable = false;
      diagnostics.push({
        severity: 'error',
        ...table.source.locate(`${pointer}/${column}`),
        pointer: `${pointer}/${column}`,
        message: `column '${column}': ${time.problem}`,
        suggestion: RELATIVE_TIME_HINT,
      });
    }
  }
  if (!readable) return undefined;
  try {
    return normaliseRow(completeRow(cells));
  } catch (error) {
    if (!(error instanceof RowError)) throw error;
    const suggestion = TIME_COLUMNS.has(error.column) ? RELATIVE_TIME_HINT : undefined;
    diagnostics.push({
      severity: 'error',
      ...table.source.locate(`${pointer}/${error.column}`),
      pointer: `${pointer}/${error.column}`,
      message: `column '${error.column}': ${error.message}`,
      suggestion,
    });
    return undefined;
  }
}

/** `T-90d`, `T+2h`, `T-30m` or `T` against the as-of time; any other value is kept as written. */
function resolveTime(value: string, asOfMs: number): { value: string } | { problem: string } {
  const match = RELATIVE_TIME.exec(value);
  if (!match) return { value };
  const [, sign, amount, unit] = match;
  const delta = amount === undefined ? 0 : Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  const ms = asOfMs + (sign === '-' ? -delta : delta);
  // A credential report's times are four-digit years; toISOString would throw past ±8.64e15 ms.
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    return {
      problem: `'${quoteTime(value)}' is ${sign === '-' ? 'before the year 0001' : 'after the year 9999'} when counted from the as-of time`,
    };
  }
  return { value: new Date(ms).toISOString() };
}

/** 0001-01-01T00:00:00Z (Date.UTC would read the year 1 as 1901). */
const EARLIEST_MS = -62_135_596_800_000;
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const RELATIVE_TIME_HINT = 'times are ISO 8601 (2024-06-01T00:00:00Z), N/A, or relative to the as-of time: T, T-90d, T+2h, T-30m';

/** A relative time as written, cut to a readable length (it matched RELATIVE_TIME, so it holds no secret). */
function quoteTime(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function indexByName(
  principals: Principal[],
  table: Sourced<RuleCasesFile>,
  pointer: string,
  diagnostics: Diagnostic[],
): Map<string, Principal> {
  const byName = new Map<string, Principal>();
  principals.forEach((principal, j) => {
    if (byName.has(principal.name)) {
      // Findings and facts name principals by user name, as a credential report does: it must be unique.
      diagnostics.push({
        severity: 'error',
        ...table.source.locate(`${pointer}/rows/${j}/user`),
        message: `a second row for user '${principal.name}'`,
        suggestion: 'a credential report has one row per user',
      });
    }
    byName.set(principal.name, principal);
  });
  return byName;
}

function attachPrincipalFacts(
  byName: Map<string, Principal>,
  facts: Record<string, Record<string, unknown>>,
  table: Sourced<RuleCasesFile>,
  pointer: string,
  diagnostics: Diagnostic[],
): void {
  for (const [name, principalFacts] of Object.entries(facts)) {
    const principal = byName.get(name);
    if (principal) principal.facts = principalFacts;
    else
      diagnostics.push(
        unknownPrincipal(name, byName, table.source.locateKey(`${pointer}/principalFacts`, name), `${pointer}/principalFacts/${name}`),
      );
  }
}

function checkExpected(
  definition: RuleDefinition,
  testCase: InvalidCase,
  byName: Map<string, Principal>,
  table: Sourced<RuleCasesFile>,
  pointer: string,
  diagnostics: Diagnostic[],
): ExpectedAt[] {
  const { subject, appliesTo } = definition.rule;
  return testCase.findings.map((finding, k) => {
    const at = `${pointer}/findings/${k}`;
    const credential = finding.credential ?? null;
    const principal = byName.get(finding.principal);
    if (!principal) {
      diagnostics.push(unknownPrincipal(finding.principal, byName, table.source.locate(`${at}/principal`), `${at}/principal`));
    } else if (principal && !appliesTo.includes(principal.type)) {
      diagnostics.push({
        severity: 'error',
        ...table.source.locate(`${at}/principal`),
        message: `rule '${definition.rule.id}' applies to ${appliesTo.join(' and ')} principals, so it never reports '${finding.principal}' (${principal.type})`,
      });
    }
    if (!possibleCredential(subject, credential))
      diagnostics.push(
        impossibleCredential(subject, credential, table.source.locate(finding.credential === undefined ? at : `${at}/credential`)),
      );
    return { principal: finding.principal, credential, location: table.source.locate(at) };
  });
}

function impossibleCredential(subject: RuleFile['subject'], credential: Credential, location: SourceLocation): Diagnostic {
  const prefix = (ITEM_CREDENTIAL_PREFIX as Partial<Record<string, string>>)[subject];
  const possible = prefix !== undefined ? [`${prefix}:<id>`] : SUBJECT_CREDENTIALS[subject];
  if (subject === 'principal') {
    return {
      severity: 'error',
      ...location,
      message: `findings of a 'principal' rule name no credential, never ${String(credential)}`,
      suggestion: 'leave credential out',
    };
  }
  return {
    severity: 'error',
    ...location,
    message: `findings of a '${subject}' rule are about ${possible.join(' or ')}, never ${credential ?? 'no credential'}`,
    suggestion: `e.g. credential: ${String(possible[0])}`,
  };
}

function unknownPrincipal(name: string, byName: Map<string, Principal>, location: SourceLocation, pointer: string): Diagnostic {
  const names = [...byName.keys()];
  return {
    severity: 'error',
    ...location,
    pointer,
    message: `no row of this case is for user '${name}'`,
    suggestion: didYouMean(name, names) ?? `users: ${names.join(', ')}`,
  };
}
