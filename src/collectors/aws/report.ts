/**
 * Getting one account's credential report: GetCredentialReport first; generate and poll
 * (backoff with jitter) only when the report is missing, expired or older than the maximum age.
 * `--report-timeout` bounds the whole fetch: every request, the SDK's retries and backoff
 * between them, a connection that stalls or answers a byte at a time, and the polls.
 */
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type GenerateCredentialReportCommandOutput,
  type GetCredentialReportCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { DeserializeMiddleware } from '@smithy/types';
import { AccountFailure, describeError, hasCode, isThrottling } from './errors.js';
import { formatTimestamp } from '../../core/util/time.js';
import { CONTENT_LIFTER_STEP, contentLifter, type LiftedContent } from './report-content.js';

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
  /** Deadline of the whole fetch of one account's report (--report-timeout). */
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

// The deserialize step runs once per attempt, inside the SDK's retry loop.
const ATTEMPT_STEP = { step: 'deserialize', name: 'credwardenCountAttempts' } as const;

/**
 * The requests of one report fetch: each is sent with the fetch's abort signal, so the
 * deadline cuts off a request in flight and the SDK's backoff before a retry; the attempts of
 * the request in flight (SDK retries included) are counted to say what was waited for.
 */
class ReportRequests {
  readonly controller = new AbortController();
  /** The operation waiting for an answer, if any, and the attempts it has made so far. */
  pending: string | undefined;
  attempts = 0;
  private sentAt = 0;

  constructor(private readonly iam: IAMClient) {}

  /** GetCredentialReport; `Content` is the lifted one when the answer took the fast path (report-content.ts). */
  async get(): Promise<GetCredentialReportCommandOutput> {
    const command = new GetCredentialReportCommand({});
    command.middlewareStack.add(this.attemptCounter('GetCredentialReport'), ATTEMPT_STEP);
    const lifted: LiftedContent = {};
    command.middlewareStack.add(contentLifter(this.iam.config, lifted), CONTENT_LIFTER_STEP);
    const out = await this.track('GetCredentialReport', () => this.iam.send(command, { abortSignal: this.controller.signal }));
    return lifted.content ? { ...out, Content: lifted.content } : out;
  }

  generate(): Promise<GenerateCredentialReportCommandOutput> {
    const command = new GenerateCredentialReportCommand({});
    command.middlewareStack.add(this.attemptCounter('GenerateCredentialReport'), ATTEMPT_STEP);
    return this.track('GenerateCredentialReport', () => this.iam.send(command, { abortSignal: this.controller.signal }));
  }

  private attemptCounter<I extends object, O extends object>(operation: string): DeserializeMiddleware<I, O> {
    return (next) => (args) => {
      if (this.pending === operation) this.attempts += 1;
      return next(args);
    };
  }

  private async track<T>(operation: string, send: () => Promise<T>): Promise<T> {
    this.pending = operation;
    this.attempts = 0;
    this.sentAt = performance.now();
    try {
      return await send();
    } finally {
      this.pending = undefined;
    }
  }

  /**
   * Why the deadline passed: a request that has been waiting for its answer (at least a
   * second, or half the timeout), else a generation that did not finish in time.
   */
  timeoutReason(timeoutMs: number): string {
    const limit = `${formatSeconds(timeoutMs)} (--report-timeout)`;
    const waited = this.pending === undefined ? 0 : performance.now() - this.sentAt;
    if (this.pending === undefined || waited < Math.min(1000, timeoutMs / 2)) return `credential report not ready after ${limit}`;
    const tried = this.attempts === 0 ? '' : `, ${this.attempts} attempt${this.attempts === 1 ? '' : 's'}`;
    return `no credential report within ${limit}: ${this.pending} did not answer (waited ${formatSeconds(waited)}${tried})`;
  }
}

function formatSeconds(ms: number): string {
  const tenths = Math.round(ms / 100) / 10;
  return `${tenths} s`;
}

async function getReport(requests: ReportRequests): Promise<GetOutcome> {
  try {
    const out = await requests.get();
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
async function generateReport(requests: ReportRequests): Promise<boolean> {
  try {
    const out = await requests.generate();
    return out.State === 'COMPLETE';
  } catch (error) {
    if (isThrottling(error)) return false;
    throw error;
  }
}

/** Delay before poll `n` (0-based): exponential, capped, with "equal jitter" so accounts do not poll in lockstep. */
export function pollDelay(n: number, options: Pick<ReportOptions, 'pollDelayMs'>, clock: Pick<Clock, 'random'>): number {
  const base = Math.min(options.pollDelayMs.max, options.pollDelayMs.initial * 2 ** n);
  return base / 2 + clock.random() * (base / 2);
}

/**
 * Fetches a fresh enough credential report for the account behind `iam`, within
 * `options.reportTimeoutMs` for the whole fetch (requests, retries, backoff and polls).
 * @throws AccountFailure when the deadline passes: the request that did not answer, or
 *   generation that did not finish
 */
export async function fetchCredentialReport(iam: IAMClient, options: ReportOptions, clock: Clock): Promise<FetchedReport> {
  const requests = new ReportRequests(iam);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A real timer, whatever the clock: it must fire while a request is stalled, when no poll looks at the clock.
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const failure = new AccountFailure(requests.timeoutReason(options.reportTimeoutMs));
      requests.controller.abort(failure);
      reject(failure);
    }, options.reportTimeoutMs);
  });
  const work = fetchReport(requests, options, clock, clock.now() + options.reportTimeoutMs);
  // Once the deadline has won, the abandoned fetch ends in an AbortError nobody needs.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    // Only a request still in flight needs stopping (an abort costs a DOMException with its stack).
    if (requests.pending !== undefined) requests.controller.abort();
  }
}

async function fetchReport(requests: ReportRequests, options: ReportOptions, clock: Clock, deadline: number): Promise<FetchedReport> {
  const first = await getReport(requests);
  if (first.kind === 'report' && clock.now() - Date.parse(first.report.generatedTime) <= options.maxReportAgeMs) return first.report;
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
      if (await generateReport(requests)) {
        complete = true;
        const ready = await getReport(requests);
        if (ready.kind === 'report') return ready.report;
      }
    }
    const delay = pollDelay(poll, options, clock);
    const left = deadline - clock.now();
    // No poll after the deadline: wait it out (AWS may still finish), then give up.
    if (delay >= left) {
      await clock.sleep(Math.max(0, left));
      throw new AccountFailure(requests.timeoutReason(options.reportTimeoutMs));
    }
    await clock.sleep(delay);
    const outcome = await getReport(requests);
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
