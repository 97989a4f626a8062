/**
 * The one result reader: a saved JSON result read as a stream, never held whole. Bytes are pushed
 * in (`write`), each finding, plan and resolved finding is validated (JSON Schema, then the
 * semantic checks of semantics.ts) and handed on as soon as it is complete, and only the small
 * parts (tool, rules, accounts, summary, waivers…) are collected into the header that `end`
 * returns, validated in turn. Key order does not matter for correctness: items met before the
 * `schemaVersion` they depend on are skipped and the reader asks for a second pass
 * (`end()` returns `secondPass`), which only regular files allow, and the input layer reads
 * nothing else.
 *
 * Parsing uses @streamparser/json (a streaming tokenizer and token parser, no dependencies).
 * Pure: no file system, no clock.
 */
import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { AccountResult, Diagnostic, Finding, Plan, RuleSummary, ScanResult } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { definitionValidator as generatedDefinition } from '../validation/ajv.js';
import * as resultV1 from '../validation/generated/legacy/result-v1.js';
import * as resultV2 from '../validation/generated/result.js';
import * as resultV3 from '../validation/generated/result-v3.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import type { YamlSource } from '../yaml/source.js';
import { FindingChecks, headerProblems, REGENERATE } from './semantics.js';
import { upgradeResolvedV1, V1Upgrade, type FindingV1, type ScanResultV1 } from './upgrade.js';
import {
  catalogueOf,
  expandFinding,
  expandPlan,
  expandPlanOutline,
  ruleDefaults,
  type FindingV3,
  type PlanV3,
  type RuleDefaults,
} from './v3.js';
import type { Catalogue, PlanOutline, ScanAccess } from '../remediation/index.js';
import type { AccountSlice } from '../pipeline/types.js';

/** The result schema versions credwarden reads; the newest is what it writes. */
export const READ_VERSIONS = [1, 2, 3] as const;
/** A version this reader reads. */
export type ReadVersion = (typeof READ_VERSIONS)[number];
const NEWEST = READ_VERSIONS[READ_VERSIONS.length - 1] as ReadVersion;

/** The top-level lists read item by item. */
const STREAMED = ['findings', 'plans', 'resolved'] as const;
type StreamedKey = (typeof STREAMED)[number];

/** The most bytes of one part read whole: one finding or plan, or one header part (rules, accounts…). */
export const MAX_PART_BYTES = 128 * 2 ** 20;
/** The most bytes of all header parts together (they are kept while the items stream). */
export const MAX_HEADER_BYTES = 256 * 2 ** 20;
/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 50;

/** Everything in a result but its findings, plans and resolved findings, upgraded to version 2. */
export type ResultHeader = Omit<ScanResult, 'findings' | 'plans' | 'resolved'> & {
  /** Which streamed lists the file had (`resolved` is optional), and how many items each. */
  counts: { findings: number; plans: number; resolved?: number };
};

/** Where the items of a result go, as they are read (each already validated and upgraded). */
export interface ResultItemHandlers {
  finding?(finding: Finding): void;
  plan?(plan: Plan): void;
  resolved?(finding: Finding): void;
  /**
   * Version 3: each account whole, as the pipeline's slice (its entry, findings, whole plans,
   * their outlines with the facts they were made from, and `resolved` when the entry has it),
   * once its findings passed the checks; `finding`, `plan` and `resolved` are then not called
   * for it. A reader that writes reports again (merge) takes accounts this way.
   */
  account?(slice: AccountSlice): void;
  /**
   * Version 3: the header parts stated before the first account, once (credwarden writes every
   * part but the accounts first): as read, schema-checked as far as they go. Called only when
   * they are valid; the rest of the header is checked at the end, as always.
   */
  beforeAccounts?(parts: Readonly<Record<string, unknown>>): void;
  /**
   * Version 3, at the end, after `beforeAccounts`: the header parts that came after the
   * accounts began (a file whose keys were reordered), which `beforeAccounts` did not see.
   */
  partsAfterAccounts?(keys: readonly string[]): void;
}

/** The end of a pass: the header, or a request to read the file again knowing its version. */
export type ResultPassEnd = { header: ResultHeader } | { secondPass: { version: ReadVersion } };

/** The precompiled validators of each result version (src/core/validation/generated). */
const schemas: Record<ReadVersion, typeof resultV2> = { 1: resultV1, 2: resultV2, 3: resultV3 as unknown as typeof resultV2 };

function definitionValidator(version: ReadVersion, definition: 'Finding' | 'Plan' | 'AccountV3'): ValidateFunction {
  return generatedDefinition(schemas[version].definitions, definition);
}

/** A line and column (1-based, columns in bytes) of a byte offset, counted as the bytes stream by. */
class LineCounter {
  private line = 0;
  private lineStart = 0;
  private scanned = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkBase = 0;

  next(chunk: Uint8Array): void {
    this.advance(this.chunkBase + this.chunk.length);
    this.chunkBase += this.chunk.length;
    this.chunk = chunk;
  }

  /** The location of `offset`, which lies in the current chunk, at or after the last one asked for. */
  at(offset: number): { line: number; column: number } {
    this.advance(offset);
    return { line: this.line + 1, column: Math.max(1, offset - this.lineStart + 1) };
  }

  private advance(to: number): void {
    for (let i = this.scanned - this.chunkBase; i < to - this.chunkBase; i++) {
      i = this.chunk.indexOf(10, i);
      if (i === -1 || i >= to - this.chunkBase) break;
      this.line++;
      this.lineStart = this.chunkBase + i + 1;
    }
    this.scanned = Math.max(this.scanned, to);
  }
}

interface PassOptions {
  /** The version found by a first pass, for items that come before `schemaVersion`. */
  version?: ReadVersion;
}

/**
 * One pass over a result's bytes. Push every chunk with {@link write}, then call {@link end}.
 * @throws InputError (from write or end) naming the file, line, column and JSON pointer of every problem
 */
export class ResultStreamParser {
  private readonly tokenizer = new Tokenizer();
  private readonly parser = new TokenParser({
    paths: ['$.*', '$.findings.*', '$.plans.*', '$.resolved.*', '$.accounts.*'],
    keepStack: false,
  });
  private readonly lines = new LineCounter();
  private readonly header: Record<string, unknown> = {};
  private readonly headerAt = new Map<string, { line: number; column: number }>();
  private readonly counts: Record<StreamedKey, number> = { findings: 0, plans: 0, resolved: 0 };
  private readonly problems: Diagnostic[] = [];
  private problemCount = 0;
  private readonly checks: FindingChecks;
  private readonly v1 = new V1Upgrade();
  private version: ReadVersion | undefined;
  private deferred = false;
  /** Offsets of the opening token of the container at each depth (0: the result object). */
  private readonly starts: number[] = [];
  private readonly startLines: { line: number; column: number }[] = [];
  private depth = 0;
  private offset = 0;
  private tokenOffset = 0;
  private lastValueEnd = 0;
  private headerBytes = 0;
  private sawResolved = false;
  private emitted = false;
  private sawRoot = false;
  /** The accounts, read one by one (in v3 each with its findings and plans, handed on at once). */
  private readonly accounts: unknown[] = [];
  private accountsBeforeVersion = false;
  /** The header keys handed to `beforeAccounts` (undefined until then). */
  private announced?: ReadonlySet<string>;
  /** What v3 findings and plans take from the header: read before the accounts. */
  private v3?: { rules: Map<string, RuleDefaults>; catalogue: Catalogue; access: ScanAccess; asOf: string | null };

  constructor(
    private readonly file: string,
    private readonly items: ResultItemHandlers,
    options: PassOptions = {},
  ) {
    this.checks = new FindingChecks(file);
    this.version = options.version;
    this.tokenizer.onToken = (token) => this.token(token.token, token.offset, token.value);
    this.parser.onValue = ({ value, key, parent, stack }) => this.value(value, key, parent, stack.length, stack[1]?.key);
    this.tokenizer.onError = (error) => {
      throw this.syntaxError(error, undefined);
    };
    this.parser.onError = (error) => {
      // The token parser fails on the token it was given.
      throw this.syntaxError(error, this.tokenOffset);
    };
  }

  /** Reads the next bytes. @throws InputError */
  write(chunk: Uint8Array): void {
    this.lines.next(chunk);
    this.offset += chunk.length;
    this.tokenizer.write(chunk);
    this.checkBounds();
  }

  /** Ends the pass: the validated header, or a request for a second pass. @throws InputError */
  end(): ResultPassEnd {
    if (!this.parser.isEnded) {
      if (!this.sawRoot) throw this.fail([{ message: 'the file is empty: not valid JSON' }]);
      throw this.fail([{ message: 'not valid JSON: the file ends before the result does (cut short?)' }]);
    }
    if (this.version === undefined) throw this.fail([this.versionProblem(this.header.schemaVersion)]);
    if (this.deferred || (this.version === 3 && this.accountsBeforeVersion)) return { secondPass: { version: this.version } };
    this.headerProblems();
    if (this.problemCount > 0) throw this.invalid();
    const announced = this.announced;
    const late = announced ? Object.keys(this.header).filter((key) => key !== 'accounts' && !announced.has(key)) : [];
    if (late.length > 0) this.items.partsAfterAccounts?.(late);
    return { header: this.finishHeader(this.version) };
  }

  private token(token: TokenType, offset: number, value: unknown): void {
    if (!this.sawRoot && token !== TokenType.LEFT_BRACE)
      throw this.fail([{ message: 'not a credwarden result: the file does not hold a JSON object', pointer: '' }]);
    this.sawRoot = true;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      this.starts[this.depth] = offset;
      // Where items and header parts start, for messages (counted once per part, not per token).
      if (this.depth <= 2) this.startLines[this.depth] = this.lines.at(offset);
      this.depth++;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) this.depth--;
    else if (this.depth <= 2 && token !== TokenType.COLON && token !== TokenType.COMMA) {
      this.starts[this.depth] = offset;
      this.startLines[this.depth] = this.lines.at(offset);
    }
    this.tokenOffset = offset;
    this.parser.write({ token, offset, value } as Parameters<TokenParser['write']>[0]);
    if (this.emitted) {
      this.emitted = false;
      this.lastValueEnd = offset;
    }
  }

  private value(value: unknown, key: string | number | undefined, parent: unknown, depth: number, listKey: unknown): void {
    this.emitted = true;
    if (depth === 1 && typeof key === 'string') return this.headerPart(key, value);
    if (depth === 2 && typeof key === 'number' && Array.isArray(parent) && listKey === 'accounts') {
      parent.pop();
      this.account(key, value);
      return;
    }
    if (depth === 2 && typeof key === 'number' && Array.isArray(parent) && isStreamed(listKey)) {
      // Dropped from the list at once: the list is never held.
      parent.pop();
      this.item(listKey, key, value);
    }
  }

  private headerPart(key: string, value: unknown): void {
    this.headerBytes += this.tokenOffset - this.lastValueEnd;
    if (Object.prototype.hasOwnProperty.call(this.header, key)) {
      this.problem({ pointer: `/${key}`, message: `'${key}' appears twice`, suggestion: REGENERATE });
      return;
    }
    // The accounts were read one by one (and taken out of the list as they came).
    if (key === 'accounts') this.announceParts();
    this.header[key] = key === 'accounts' ? this.accounts : value;
    const at = this.startLines[1];
    if (at) this.headerAt.set(key, at);
    if (key === 'schemaVersion') {
      if (this.version === undefined && isReadVersion(value)) this.version = value;
      else if (!isReadVersion(value) || value !== this.version) throw this.fail([this.versionProblem(value)]);
    }
  }

  private item(list: StreamedKey, index: number, value: unknown): void {
    this.counts[list]++;
    const version = this.version;
    if (version === undefined) {
      // Before schemaVersion: read again once the version is known.
      this.deferred = true;
      return;
    }
    if (this.deferred) return;
    const pointer = `/${list}/${index}`;
    const at = this.startLines[2];
    const validate = definitionValidator(version, list === 'plans' ? 'Plan' : 'Finding');
    if (!validate(value)) {
      for (const d of itemDiagnostics(validate.errors ?? [], value, this.file, pointer, at)) this.problem(d);
      return;
    }
    if (list === 'plans') {
      this.items.plan?.(value as Plan);
      return;
    }
    const finding =
      version === 1
        ? list === 'findings'
          ? this.v1.finding(value as FindingV1)
          : upgradeResolvedV1(value as FindingV1)
        : (value as Finding);
    if (list === 'findings') {
      const problems = this.checks.check(finding, pointer);
      if (problems.length > 0) {
        for (const d of problems) this.problem({ ...d, ...(at ?? {}) });
        return;
      }
      this.items.finding?.(finding);
    } else this.items.resolved?.(finding);
  }

  /** One account: kept for the header; in v3, its findings, plans and resolved findings handed on. */
  private account(index: number, value: unknown): void {
    if (this.version === undefined) this.accountsBeforeVersion = true;
    if (this.version !== 3) {
      this.accounts.push(value);
      return;
    }
    const pointer = `/accounts/${index}`;
    const at = this.startLines[2];
    const validate = definitionValidator(3, 'AccountV3');
    if (!validate(value)) {
      for (const d of itemDiagnostics(validate.errors ?? [], value, this.file, pointer, at)) this.problem(d);
      return;
    }
    const {
      findings = [],
      plans = [],
      resolved,
      unlisted,
      ...entry
    } = value as AccountResult & {
      findings?: FindingV3[];
      plans?: PlanV3[];
      resolved?: Finding[];
      unlisted?: true;
    };
    if (!unlisted) this.accounts.push(entry);
    const context = this.v3Context(pointer);
    if (!context) return;
    const expanded = findings.map((f) => expandFinding(f, context.rules.get(f.ruleId), entry));
    const checked: Finding[] = [];
    expanded.forEach((finding, i) => {
      this.counts.findings++;
      const problems = this.checks.check(finding, `${pointer}/findings/${i}`);
      if (problems.length > 0) for (const d of problems) this.problem({ ...d, ...(at ?? {}) });
      else if (this.items.account) checked.push(finding);
      else this.items.finding?.(finding);
    });
    this.counts.plans += plans.length;
    if (this.items.account) {
      if (resolved) {
        this.sawResolved = true;
        this.counts.resolved += resolved.length;
      }
      const whole = plans.flatMap((plan) => {
        const made = expandPlanOutline(plan, entry, context.asOf, expanded, context.catalogue, context.access);
        return made ? [made] : [];
      });
      const outlines: PlanOutline[] = whole.map(({ plan, facts }) => (facts ? { ...plan, facts } : plan));
      if (unlisted && checked.length === 0 && whole.length === 0 && !resolved?.length) return;
      this.items.account({
        id: entry.id,
        ...(unlisted ? {} : { account: entry }),
        findings: checked,
        plans: whole.map((w) => w.plan),
        outlines,
        ...(resolved ? { resolved } : {}),
      });
      return;
    }
    if (this.items.plan) {
      for (const plan of plans) {
        const whole = expandPlan(plan, entry, context.asOf, expanded, context.catalogue, context.access);
        if (whole) this.items.plan(whole);
      }
    }
    if (resolved) {
      this.sawResolved = true;
      this.counts.resolved += resolved.length;
      for (const finding of resolved) this.items.resolved?.(finding);
    }
  }

  /** What v3 items need of the header (its rules, procedures, access and as-of), read before the first account. */
  private v3Context(pointer: string): NonNullable<typeof this.v3> | undefined {
    if (this.v3) return this.v3;
    const rules = this.header.rules;
    if (!Array.isArray(rules)) {
      this.problem({ pointer, message: 'an account comes before the rules: credwarden writes the rules first', suggestion: REGENERATE });
      return undefined;
    }
    const procedures = Object.fromEntries(
      (rules as { id?: unknown; procedure?: unknown }[]).flatMap((r) =>
        typeof r.id === 'string' && typeof r.procedure === 'string' ? [[r.id, r.procedure]] : [],
      ),
    ) as Record<string, string>;
    this.v3 = {
      rules: ruleDefaults(rules as RuleSummary[], procedures),
      catalogue: catalogueOf(Array.isArray(this.header.procedures) ? this.header.procedures : []),
      access: (this.header.access ?? {}) as ScanAccess,
      asOf: typeof this.header.asOf === 'string' ? this.header.asOf : null,
    };
    this.announceParts();
    return this.v3;
  }

  /** Hands the header parts read so far to `beforeAccounts`, once: at the first account, or at an empty accounts list. */
  private announceParts(): void {
    if (this.announced || this.version !== 3 || this.deferred) return;
    this.announced = new Set(Object.keys(this.header));
    if (this.items.beforeAccounts && this.partsValid()) this.items.beforeAccounts({ ...this.header });
  }

  /**
   * Whether the header parts read so far are valid: the whole header's schema, where the only
   * errors allowed are the parts still to come (missing at the top).
   */
  private partsValid(): boolean {
    const validate = schemas[3].validate;
    if (validate({ ...this.header, accounts: [] })) return true;
    return (validate.errors ?? []).every((e) => e.instancePath === '' && e.keyword === 'required');
  }

  private headerProblems(): void {
    const version = this.version as ReadVersion;
    const value = { ...this.header };
    const validate = schemas[version].validate;
    if (!validate(value)) {
      const source = headerSource(value, this.file, (pointer) => this.headerAt.get(pointer.split('/')[1] ?? ''));
      for (const d of schemaDiagnostics(validate.errors ?? [], source)) this.problem(d.suggestion ? d : { ...d, suggestion: REGENERATE });
      return;
    }
    const header = value as unknown as Pick<ScanResult, 'asOf' | 'accounts' | 'waivers'>;
    for (const d of headerProblems(header, this.file)) this.problem({ ...d, ...(this.headerAt.get(d.pointer?.split('/')[1] ?? '') ?? {}) });
    for (const d of this.checks.finish(header.waivers)) this.problem(d);
  }

  private finishHeader(version: ReadVersion): ResultHeader {
    if (version === 3) {
      const { accounts, rules, access: _access, schemaVersion: _v, ...rest } = this.header;
      const counts = {
        findings: this.counts.findings,
        plans: this.counts.plans,
        ...(this.sawResolved ? { resolved: this.counts.resolved } : {}),
      };
      // The model every reader gives (schemas/result.schema.json): rules without their procedure.
      const modelRules = (rules as (RuleSummary & { procedure?: string })[]).map(({ procedure: _p, ...r }) => r);
      return { schemaVersion: 2, ...(rest as object), rules: modelRules, accounts, counts } as unknown as ResultHeader;
    }
    const { findings: _f, plans: _p, resolved, ...rest } = this.header;
    const counts = {
      findings: this.counts.findings,
      plans: version === 1 ? this.v1.plans().length : this.counts.plans,
      ...(resolved !== undefined ? { resolved: this.counts.resolved } : {}),
    };
    if (version === 1) {
      for (const plan of this.v1.plans()) this.items.plan?.(plan);
      return { ...this.v1.header(rest as unknown as ScanResultV1), counts };
    }
    return { ...(rest as unknown as Omit<ScanResult, 'findings' | 'plans' | 'resolved'>), counts };
  }

  /** Bounds what is held: the part being read, and the header parts together. */
  private checkBounds(): void {
    if (this.offset - this.lastValueEnd > MAX_PART_BYTES)
      throw this.fail([
        {
          message: `one part of the result (a finding, a plan, or a list such as accounts) is larger than ${MAX_PART_BYTES / 2 ** 20} MiB, far more than credwarden writes`,
          suggestion: `the file was edited or damaged: ${REGENERATE}`,
        },
      ]);
    if (this.headerBytes > MAX_HEADER_BYTES)
      throw this.fail([
        {
          message: `the result's parts other than findings and plans are larger than ${MAX_HEADER_BYTES / 2 ** 20} MiB`,
          suggestion: REGENERATE,
        },
      ]);
  }

  private versionProblem(version: unknown): Omit<Diagnostic, 'severity' | 'file'> {
    if (typeof version === 'number' && version > NEWEST)
      return {
        pointer: '/schemaVersion',
        message: `result schemaVersion ${version} is newer than this credwarden reads (1 to ${NEWEST})`,
        suggestion: 'upgrade credwarden',
      };
    return {
      pointer: version === undefined ? '' : '/schemaVersion',
      message: `not a credwarden result: schemaVersion must be ${READ_VERSIONS.slice(0, -1).join(', ')} or ${NEWEST} (got ${JSON.stringify(version) ?? 'nothing'})`,
      suggestion: REGENERATE,
    };
  }

  private problem(d: Omit<Diagnostic, 'severity' | 'file'> & { file?: string }): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ severity: 'error', file: this.file, ...d });
  }

  private invalid(): InputError {
    const more = this.problemCount - this.problems.length;
    const list =
      more > 0 ? [...this.problems, { severity: 'error' as const, file: this.file, message: `and ${more} more problems` }] : this.problems;
    return new InputError(list, `invalid result ${this.file}${this.version ? ` (schema version ${this.version})` : ''}`);
  }

  private fail(problems: Omit<Diagnostic, 'severity' | 'file'>[]): InputError {
    return new InputError(
      problems.map((p) => ({ severity: 'error' as const, file: this.file, suggestion: REGENERATE, ...p })),
      `invalid result ${this.file}`,
    );
  }

  private syntaxError(error: Error, offset: number | undefined): InputError {
    if (error instanceof InputError) return error;
    // The parser's message quotes the bytes it met: say where, never what (a secret may be there).
    const position = offset ?? Number(/absolute position "?(\d+)/.exec(error.message)?.[1] ?? Number.NaN);
    const where = Number.isNaN(position) ? '' : ` at byte ${position}`;
    return this.fail([{ message: `not valid JSON${where}` }]);
  }
}

function isReadVersion(value: unknown): value is ReadVersion {
  return (READ_VERSIONS as readonly unknown[]).includes(value);
}

function isStreamed(key: unknown): key is StreamedKey {
  return (STREAMED as readonly unknown[]).includes(key);
}

/** A source for schemaDiagnostics over one value: positions are the start of its part. */
function headerSource(value: unknown, file: string, locate: (pointer: string) => { line: number; column: number } | undefined): YamlSource {
  const at = (pointer: string) => ({ file, ...(locate(pointer) ?? {}), pointer });
  return { file, value, errors: [], locate: at, locateKey: (pointer, key) => at(`${pointer}/${key}`) };
}

function itemDiagnostics(
  errors: readonly ErrorObject[],
  value: unknown,
  file: string,
  prefix: string,
  at: { line: number; column: number } | undefined,
): Diagnostic[] {
  const source: YamlSource = {
    file,
    value,
    errors: [],
    locate: (pointer) => ({ file, pointer }),
    locateKey: (pointer, key) => ({ file, pointer: `${pointer}/${key}` }),
  };
  return schemaDiagnostics(errors, source).map((d) => ({
    ...d,
    ...(at ?? {}),
    pointer: `${prefix}${d.pointer ?? ''}`,
    suggestion: d.suggestion ?? REGENERATE,
  }));
}
