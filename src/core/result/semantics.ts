/**
 * The checks a result must pass beyond its JSON Schema, made by the one result reader for every
 * command (diff, merge, trend, plan, publish, --baseline), so that no command accepts what
 * another refuses:
 *
 * - Times name real calendar days: `asOf` of 2026-02-31 was read by trend as March 3.
 * - A waived finding is waived by a waiver the result records: the waiver (by id) is in the
 *   result's `waivers`, was in force (`active`), covers the finding (rule, account, principal,
 *   credential) and has the expiry the finding quotes. A shard edited to say `status: waived`
 *   no longer gets past `merge --fail-on` or `publish`.
 *
 * Pure: the reader passes the parts in as it meets them (header parts, then each finding).
 */
import type { AccountResult, Diagnostic, Finding, WaiverOutcome } from '../../model/index.js';
import type { Waiver } from '../../model/generated/waivers.js';
import { parseDateOrTimestamp, parseTimestamp } from '../util/time.js';
import { safeShape } from '../util/shape.js';
import { waiverMatches } from '../waivers/match.js';

/** What to do when a result fails a check: write it again with a credwarden that writes it right. */
export const REGENERATE = 'write it with `credwarden scan --format json --output FILE` (or `evaluate SNAPSHOT --format json`)';

function quote(value: string): string {
  return /^[\w.:+-]{0,40}$/.test(value) ? `'${value}'` : safeShape(value);
}

function timeProblem(file: string, pointer: string, value: unknown, dateAllowed: boolean): Diagnostic[] {
  if (typeof value !== 'string') return [];
  const ms = dateAllowed ? parseDateOrTimestamp(value) : parseTimestamp(value);
  if (!Number.isNaN(ms)) return [];
  return [
    {
      severity: 'error',
      file,
      pointer,
      message: `${quote(value)} is not an ISO 8601 ${dateAllowed ? 'date or time' : 'time'} on a real calendar day`,
      suggestion: `the file was edited or damaged: ${REGENERATE}`,
    },
  ];
}

/** The small parts of a result the checks read (the header: everything but findings and plans). */
export interface CheckedHeader {
  asOf?: string | null;
  accounts?: readonly Pick<AccountResult, 'asOf' | 'reportGeneratedTime'>[];
  waivers?: readonly WaiverOutcome[];
}

/** Problems of the header's times. */
export function headerProblems(header: CheckedHeader, file: string): Diagnostic[] {
  const out = timeProblem(file, '/asOf', header.asOf, false);
  (header.accounts ?? []).forEach((account, i) => {
    out.push(...timeProblem(file, `/accounts/${i}/asOf`, account.asOf, false));
    out.push(...timeProblem(file, `/accounts/${i}/reportGeneratedTime`, account.reportGeneratedTime, false));
  });
  (header.waivers ?? []).forEach((waiver, i) => out.push(...timeProblem(file, `/waivers/${i}/expires`, waiver.expires, true)));
  return out;
}

/** What is kept of a waived finding until the waiver records are read: enough to check it, not the finding. */
interface WaivedFinding {
  pointer: string;
  waiverId: string | undefined;
  expires: string | undefined;
  match: Pick<Finding, 'ruleId' | 'accountId' | 'credential' | 'principal'>;
}

/**
 * The checks of findings, fed one at a time. Waived findings are checked against the waiver
 * records when the whole result has been read (`finish`), since those may come after them; only
 * the few fields the check needs are kept.
 */
export class FindingChecks {
  private readonly waived: WaivedFinding[] = [];

  constructor(private readonly file: string) {}

  /** Problems of one finding that need nothing else; a waived finding is kept for {@link finish}. */
  check(finding: Finding, pointer: string): Diagnostic[] {
    const out = timeProblem(this.file, `${pointer}/waiver/expires`, finding.waiver?.expires, true);
    if (finding.status === 'waived')
      this.waived.push({
        pointer,
        waiverId: finding.waiver?.id,
        expires: finding.waiver?.expires,
        match: { ruleId: finding.ruleId, accountId: finding.accountId, credential: finding.credential, principal: finding.principal },
      });
    return out;
  }

  /** Problems of the waived findings against the result's waiver records. */
  finish(waivers: readonly WaiverOutcome[] | undefined): Diagnostic[] {
    const byId = new Map((waivers ?? []).map((w) => [w.id, w]));
    const out: Diagnostic[] = [];
    for (const f of this.waived) {
      const problem = waivedProblem(f, f.waiverId === undefined ? undefined : byId.get(f.waiverId));
      if (problem)
        out.push({
          severity: 'error',
          file: this.file,
          pointer: `${f.pointer}/status`,
          message: `the finding is waived, but ${problem}`,
          suggestion: `a waived finding must name a waiver in force that covers it; the file was edited or damaged: ${REGENERATE} with --waivers`,
        });
    }
    return out;
  }
}

function waivedProblem(f: WaivedFinding, waiver: WaiverOutcome | undefined): string | undefined {
  if (f.waiverId === undefined) return 'it names no waiver';
  if (!waiver) return `the result records no waiver ${quote(f.waiverId)}`;
  if (waiver.state !== 'active') return `waiver ${quote(f.waiverId)} is ${waiver.state}, not in force`;
  if (waiver.expires !== f.expires) return `its expiry differs from waiver ${quote(f.waiverId)}'s`;
  const { credential, ...match } = waiver;
  // A recorded waiver's credential comes from a waivers file, whose schema allows only report slots.
  const slot = credential as Waiver['credential'];
  if (!waiverMatches({ ...match, ...(slot ? { credential: slot } : {}) }, f.match as Finding))
    return `waiver ${quote(f.waiverId)} does not cover it (rule, account, principal or credential)`;
  return undefined;
}
