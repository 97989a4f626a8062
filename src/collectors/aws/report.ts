/**
 * Getting one account's credential report: GetCredentialReport first; generate and poll
 * (backoff with jitter, bounded by a timeout) only when the report is missing, expired or
 * older than the maximum age.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AccountFailure, describeError, hasCode, isThrottling } from './errors.js';
import { formatTimestamp } from '../../core/util/time.js';

/** Time, sleeping and randomness, injectable so tests never wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** How to get a report. */
export interface ReportOptions {
  maxReportAgeMs: number;
  reportTimeoutMs: number;
  pollDelayMs: { initial: number; max: number };
}

/** A decoded credential report. */
export interface FetchedReport {
  csv: string;
  /** GeneratedTime, ISO 8601: the account's as-of time. */
  generatedTime: string;
}

// AWS sends the short codes (ReportNotPresent 410, ReportExpired 410, ReportInProgress 404); the SDK
// names the modelled exceptions after their shapes. Either may be what a caller sees.
const NOT_PRESENT = new Set(['ReportNotPresent', 'CredentialReportNotPresentException']);
const EXPIRED = new Set(['ReportExpired', 'CredentialReportExpiredException']);
const IN_PROGRESS = new Set(['ReportInProgress', 'CredentialReportNotReadyException']);

type GetOutcome = { kind: 'report'; report: FetchedReport } | { kind: 'missing'; why: string } | { kind: 'pending' };

const decoder = new TextDecoder('utf-8');

async function getReport(iam: IAMClient): Promise<GetOutcome> {
  try {
    const out = await iam.send(new GetCredentialReportCommand({}));
    if (!out.Content) throw new AccountFailure('GetCredentialReport returned no Content');
    // GeneratedTime is the account's as-of time: without it, ages cannot be measured.
    if (!out.GeneratedTime || Number.isNaN(out.GeneratedTime.getTime()))
      throw new AccountFailure('GetCredentialReport returned no GeneratedTime');
    const csv = typeof out.Content === 'string' ? out.Content : decoder.decode(out.Content);
    return { kind: 'report', report: { csv, generatedTime: formatTimestamp(out.GeneratedTime.getTime()) } };
  } catch (error) {
    if (hasCode(error, NOT_PRESENT)) return { kind: 'missing', why: 'no credential report' };
    if (hasCode(error, EXPIRED)) return { kind: 'missing', why: 'the credential report expired' };
    if (hasCode(error, IN_PROGRESS) || isThrottling(error)) return { kind: 'pending' };
    throw error;
  }
}

/** Starts generation; true when AWS says the report is already COMPLETE. Throttling counts as "not yet". */
async function generateReport(iam: IAMClient): Promise<boolean> {
  try {
    const out = await iam.send(new GenerateCredentialReportCommand({}));
    return out.State === 'COMPLETE';
  } catch (error) {
    if (isThrottling(error)) return false;
    throw error;
  }
}

/** Delay before poll `n` (0-based): exponential, capped, with "equal jitter" so accounts do not poll in lockstep. */
export function pollDelay(n: number, options: ReportOptions, clock: Clock): number {
  const base = Math.min(options.pollDelayMs.max, options.pollDelayMs.initial * 2 ** n);
  return base / 2 + clock.random() * (base / 2);
}

/**
 * Fetches a fresh enough credential report for the account behind `iam`.
 * @throws AccountFailure when generation does not finish within the timeout
 */
export async function fetchCredentialReport(iam: IAMClient, options: ReportOptions, clock: Clock): Promise<FetchedReport> {
  const first = await getReport(iam);
  if (first.kind === 'report' && clock.now() - Date.parse(first.report.generatedTime) <= options.maxReportAgeMs) return first.report;
  const deadline = clock.now() + options.reportTimeoutMs;
  // The stale report we are replacing: while generation runs, an endpoint may keep serving it.
  const staleTime = first.kind === 'report' ? first.report.generatedTime : undefined;
  // AWS only regenerates reports older than 4 h; a younger one comes back as COMPLETE and is used as is.
  let complete = false;
  const usable = (report: FetchedReport) =>
    complete || report.generatedTime !== staleTime || clock.now() - Date.parse(report.generatedTime) <= options.maxReportAgeMs;
  let needsGenerate = first.kind !== 'pending';
  for (let poll = 0; ; poll++) {
    if (needsGenerate) {
      needsGenerate = false;
      if (await generateReport(iam)) {
        complete = true;
        const ready = await getReport(iam);
        if (ready.kind === 'report') return ready.report;
      }
    }
    if (clock.now() >= deadline) {
      throw new AccountFailure(`credential report not ready after ${Math.round(options.reportTimeoutMs / 1000)} s (--report-timeout)`);
    }
    await clock.sleep(Math.min(pollDelay(poll, options, clock), Math.max(0, deadline - clock.now())));
    const outcome = await getReport(iam);
    if (outcome.kind === 'report' && usable(outcome.report)) return outcome.report;
    // Generation was lost (or never started because of LimitExceeded), or the old report is still
    // served: ask GenerateCredentialReport again, whose State says when the new one is COMPLETE.
    if (outcome.kind !== 'pending') needsGenerate = true;
  }
}

/** A readable reason for a report failure. */
export function reportFailureReason(error: unknown): string {
  return error instanceof AccountFailure ? error.message : `cannot read the credential report: ${describeError(error)}`;
}
