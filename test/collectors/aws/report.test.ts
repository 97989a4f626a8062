import { formatTimestamp } from '../../../src/core/util/time.js';
import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCredentialReport, pollDelay } from '../../../src/collectors/aws/report.js';
import { AccountFailure } from '../../../src/collectors/aws/errors.js';
import { awsError, content, fakeClock, reportCsv } from './helpers.js';

const iamMock = mockClient(IAMClient);
const options = { maxReportAgeMs: 4 * 3_600_000, reportTimeoutMs: 60_000, pollDelayMs: { initial: 1000, max: 8000 } };
const csv = reportCsv('111111111111');

afterEach(() => iamMock.reset());

function calls(): string[] {
  return iamMock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
}

describe('fetchCredentialReport', () => {
  it('uses a fresh report with a single GetCredentialReport and decodes the bytes', async () => {
    const clock = fakeClock();
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now() - 3_600_000), ReportFormat: 'text/csv' });
    const report = await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(report.csv).toBe(csv);
    expect(report.generatedTime).toBe(formatTimestamp(clock.now() - 3_600_000));
    expect(calls()).toEqual(['GetCredentialReport']);
  });

  it('generates and polls with growing, jittered delays when no report exists', async () => {
    const clock = fakeClock();
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(awsError('CredentialReportNotPresentException'))
      .rejectsOnce(awsError('CredentialReportNotReadyException'))
      .rejectsOnce(awsError('CredentialReportNotReadyException'))
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now()) });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const report = await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(report.csv).toBe(csv);
    expect(calls()).toEqual([
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetCredentialReport',
      'GetCredentialReport',
    ]);
    expect(clock.slept).toEqual([750, 1500, 3000]);
  });

  it('regenerates a report older than the maximum age', async () => {
    const clock = fakeClock();
    const stale = { Content: content(csv), GeneratedTime: new Date(clock.now() - 5 * 3_600_000) };
    const fresh = { Content: content(csv), GeneratedTime: new Date(clock.now()) };
    iamMock.on(GetCredentialReportCommand).resolvesOnce(stale).resolves(fresh);
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    const report = await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(report.generatedTime).toBe(formatTimestamp(fresh.GeneratedTime.getTime()));
    expect(calls()).toEqual(['GetCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
  });

  it('treats an expired report like a missing one', async () => {
    const clock = fakeClock();
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(awsError('ReportExpired'))
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now()) });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(calls()).toEqual(['GetCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
  });

  it('retries generation after LimitExceeded', async () => {
    const clock = fakeClock();
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(awsError('ReportNotPresent'))
      .rejectsOnce(awsError('ReportNotPresent'))
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now()) });
    iamMock.on(GenerateCredentialReportCommand).rejectsOnce(awsError('LimitExceeded')).resolves({ State: 'COMPLETE' });
    await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(calls()).toEqual([
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
  });

  it('gives up after --report-timeout with a clear reason', async () => {
    const clock = fakeClock();
    iamMock.on(GetCredentialReportCommand).rejectsOnce(awsError('ReportNotPresent')).rejects(awsError('ReportInProgress'));
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const error = await fetchCredentialReport(new IAMClient({}), { ...options, reportTimeoutMs: 20_000 }, clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountFailure);
    expect((error as Error).message).toBe('credential report not ready after 20 s (--report-timeout)');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(20_000);
  });

  it('bounds the whole fetch in real time: a request that never settles ends at the deadline, and its signal is aborted', async () => {
    let signal: AbortSignal | undefined;
    const iam = new IAMClient({});
    // Stands in for a stalled connection: the promise never settles, whatever the signal says.
    iam.send = ((_command: unknown, sendOptions?: { abortSignal?: AbortSignal }) => {
      signal = sendOptions?.abortSignal;
      return new Promise(() => undefined);
    }) as typeof iam.send;
    const started = Date.now();
    const error = await fetchCredentialReport(iam, { ...options, reportTimeoutMs: 500 }, fakeClock()).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(AccountFailure);
    expect((error as Error).message).toBe(
      'no credential report within 0.5 s (--report-timeout): GetCredentialReport did not answer (waited 0.5 s)',
    );
    expect(signal?.aborted).toBe(true);
  });

  it('recognises the SDK exceptions as deserialised from the wire codes (Code and name differ)', async () => {
    const clock = fakeClock();
    // What the SDK builds from <Code>ReportNotPresent</Code> 410 etc.: the modelled class, with the wire code kept in Code.
    const wire = <E extends Error>(error: E, code: string) => Object.assign(error, { Code: code, Type: 'Sender' });
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(wire(new CredentialReportExpiredException({ message: 'expired', $metadata: { httpStatusCode: 410 } }), 'ReportExpired'))
      .rejectsOnce(
        wire(new CredentialReportNotPresentException({ message: 'absent', $metadata: { httpStatusCode: 410 } }), 'ReportNotPresent'),
      )
      .rejectsOnce(
        wire(new CredentialReportNotReadyException({ message: 'in progress', $metadata: { httpStatusCode: 404 } }), 'ReportInProgress'),
      )
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now()), ReportFormat: 'text/csv' });
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejectsOnce(
        wire(
          new LimitExceededException({
            message: 'Cannot exceed quota for report generation requests.',
            $metadata: { httpStatusCode: 409 },
          }),
          'LimitExceeded',
        ),
      )
      .resolves({ State: 'STARTED' });
    const report = await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(report.csv).toBe(csv);
    expect(calls()).toEqual([
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetCredentialReport',
    ]);
  });

  it('treats throttling (generic ServiceException named Throttling) while polling as not ready yet', async () => {
    const clock = fakeClock();
    const throttled = new IAMServiceException({
      name: 'Throttling',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(awsError('ReportNotPresent'))
      .rejectsOnce(throttled)
      .resolves({ Content: content(csv), GeneratedTime: new Date(clock.now()) });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    expect((await fetchCredentialReport(new IAMClient({}), options, clock)).csv).toBe(csv);
  });

  it('does not take the old report served during generation for the new one: asks GenerateCredentialReport for the State', async () => {
    const clock = fakeClock();
    const stale = { Content: content(csv), GeneratedTime: new Date(clock.now() - 6 * 3_600_000) };
    const fresh = { Content: content(csv), GeneratedTime: new Date(clock.now() + 5_000) };
    iamMock.on(GetCredentialReportCommand).resolvesOnce(stale).resolvesOnce(stale).resolves(fresh);
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    const report = await fetchCredentialReport(new IAMClient({}), options, clock);
    expect(report.generatedTime).toBe(formatTimestamp(fresh.GeneratedTime.getTime()));
    expect(calls()).toEqual([
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
  });

  it('uses the existing report when AWS says COMPLETE without regenerating (it is under 4 h old)', async () => {
    const clock = fakeClock();
    const recent = { Content: content(csv), GeneratedTime: new Date(clock.now() - 2 * 3_600_000) };
    iamMock.on(GetCredentialReportCommand).resolves(recent);
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    const report = await fetchCredentialReport(new IAMClient({}), { ...options, maxReportAgeMs: 3_600_000 }, clock);
    expect(report.generatedTime).toBe(formatTimestamp(recent.GeneratedTime.getTime()));
    expect(calls()).toEqual(['GetCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
  });

  it('a response without Content or GeneratedTime fails the account with a clear reason', async () => {
    iamMock.on(GetCredentialReportCommand).resolves({ Content: content(csv), ReportFormat: 'text/csv' });
    await expect(fetchCredentialReport(new IAMClient({}), options, fakeClock())).rejects.toThrow(
      'GetCredentialReport returned no GeneratedTime',
    );
    iamMock.on(GetCredentialReportCommand).resolves({ GeneratedTime: new Date() });
    await expect(fetchCredentialReport(new IAMClient({}), options, fakeClock())).rejects.toThrow('GetCredentialReport returned no Content');
  });

  it('passes other errors through', async () => {
    iamMock.on(GetCredentialReportCommand).rejects(awsError('AccessDenied', 'not authorized to perform iam:GetCredentialReport'));
    await expect(fetchCredentialReport(new IAMClient({}), options, fakeClock())).rejects.toThrow('iam:GetCredentialReport');
  });
});

describe('pollDelay', () => {
  it('doubles up to the cap, with jitter between half and the full delay', () => {
    const low = { now: () => 0, sleep: async () => {}, random: () => 0 };
    const high = { ...low, random: () => 1 };
    expect([0, 1, 2, 3, 4].map((n) => pollDelay(n, options, high))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect([0, 1, 2, 3, 4].map((n) => pollDelay(n, options, low))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
