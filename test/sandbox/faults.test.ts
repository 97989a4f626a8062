import { GenerateCredentialReportCommand, GetAccountSummaryCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListRootsCommand, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, test } from 'vitest';
import { MEMBER, assume, failure, iam, organizations, sandbox, smallOrg, sts } from './helpers.js';

/** Sends `count` calls and counts outcomes by error name ('ok' for success). */
async function outcomes(count: number, send: () => Promise<unknown>): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const name = await send().then(
      () => 'ok',
      (error: Error) => error.name,
    );
    tally[name] = (tally[name] ?? 0) + 1;
  }
  return tally;
}

describe('fault injection', () => {
  test('latency delays every answer; the call log shows it', async () => {
    const box = await sandbox({ fixture: smallOrg(), latencyMs: { GetCallerIdentity: 40, '*': 0 } });
    await sts(box).send(new GetCallerIdentityCommand({}));
    await iam(box).send(new GetAccountSummaryCommand({}));
    const [slow, fast] = box.callLog;
    expect(slow?.operation).toBe('GetCallerIdentity');
    expect((slow?.endTime ?? 0) - (slow?.time ?? 0)).toBeGreaterThanOrEqual(39);
    expect(fast?.operation).toBe('GetAccountSummary');
  });

  test('a throttle probability throttles about that share of calls, reproducibly for a seed', async () => {
    const run = async () => {
      const box = await sandbox({ fixture: smallOrg(), faults: { throttleProbability: 0.3, seed: 7 } });
      const client = sts(box);
      return outcomes(200, () => client.send(new GetCallerIdentityCommand({})));
    };
    const first = await run();
    expect(first['Throttling']).toBeGreaterThan(40);
    expect(first['Throttling']).toBeLessThan(80);
    expect(first['ok']).toBe(200 - (first['Throttling'] ?? 0));
    expect(await run()).toEqual(first);
  });

  test("Throttling is 400 for Query and TooManyRequestsException 400 for Organizations (not the model's 429, as AWS answers)", async () => {
    const box = await sandbox({ fixture: smallOrg(), faults: { throttleProbability: 1 } });
    const query = await failure(() => iam(box).send(new GetAccountSummaryCommand({})));
    expect(query.name).toBe('Throttling');
    expect(query.$metadata.httpStatusCode).toBe(400);
    const json = await failure(() => organizations(box).send(new ListRootsCommand({})));
    expect(json).toBeInstanceOf(TooManyRequestsException);
    expect(json.$metadata.httpStatusCode).toBe(400);
    expect(box.stats().throttled).toBe(2);
  });

  test('the SDK retries throttled calls and succeeds', async () => {
    const box = await sandbox({ fixture: smallOrg(), faults: { throttleProbability: 0.5, seed: 3 } });
    const client = new IAMClient({
      endpoint: box.endpoint,
      region: 'us-east-1',
      credentials: box.credentials,
      maxAttempts: 10,
      retryMode: 'standard',
    });
    const out = await client.send(new GetAccountSummaryCommand({}));
    expect(out.SummaryMap?.['AccountMFAEnabled']).toBe(1);
    expect(box.callLog.length).toBe(out.$metadata.attempts);
  });

  test('a token bucket per operation admits its burst, then throttles until refilled', async () => {
    let clock = Date.parse('2026-11-27T03:00:00Z');
    const box = await sandbox({
      fixture: smallOrg(),
      now: () => clock,
      faults: { buckets: [{ operations: ['GetCallerIdentity'], ratePerSecond: 2, burst: 3 }] },
    });
    expect(await outcomes(5, () => sts(box).send(new GetCallerIdentityCommand({})))).toEqual({ ok: 3, Throttling: 2 });
    expect(await outcomes(2, () => iam(box).send(new GetAccountSummaryCommand({})))).toEqual({ ok: 2 });
    clock += 1000;
    expect(await outcomes(3, () => sts(box).send(new GetCallerIdentityCommand({})))).toEqual({ ok: 2, Throttling: 1 });
  });

  test('a per-account token bucket meters each signing account separately', async () => {
    const clock = Date.parse('2026-11-27T03:00:00Z');
    const box = await sandbox({
      fixture: smallOrg(),
      now: () => clock,
      faults: { buckets: [{ service: 'iam', perAccount: true, ratePerSecond: 1, burst: 2 }] },
    });
    const member = await assume(box, MEMBER);
    expect(await outcomes(3, () => iam(box).send(new GetAccountSummaryCommand({})))).toEqual({ ok: 2, Throttling: 1 });
    expect(await outcomes(3, () => iam(box, member).send(new GetAccountSummaryCommand({})))).toEqual({ ok: 2, Throttling: 1 });
  });

  test('a server-error probability answers 5xx', async () => {
    const box = await sandbox({ fixture: smallOrg(), faults: { serverErrorProbability: 1, serverErrorOperations: ['GetAccountSummary'] } });
    const error = await failure(() => iam(box).send(new GetAccountSummaryCommand({})));
    expect(error.name).toBe('ServiceFailureException');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect((await sts(box).send(new GetCallerIdentityCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect(box.stats().serverErrors).toBe(1);
  });

  test('report generation that never completes stays INPROGRESS', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, state: 'absent' };
    fixture.accounts[1]!.faults = { reportNeverCompletes: true };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    for (let i = 0; i < 5; i++) expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    expect((await failure(() => client.send(new GetCredentialReportCommand({})))).name).toBe('CredentialReportNotReadyException');
  });

  test('a default reportPolls applies to stale reports across the organisation', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, ageHours: 10 };
    const box = await sandbox({ fixture, faults: { reportPolls: 2 } });
    const client = iam(box, await assume(box, MEMBER));
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await client.send(new GenerateCredentialReportCommand({}))).State);
    expect(states).toEqual(['STARTED', 'INPROGRESS', 'COMPLETE']);
  });

  test('stats count calls by operation and status', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    await assume(box, MEMBER);
    await sts(box).send(new GetCallerIdentityCommand({}));
    const stats = box.stats();
    expect(stats).toMatchObject({
      calls: 2,
      assumedRoles: 1,
      byOperation: { AssumeRole: 1, GetCallerIdentity: 1 },
      okByOperation: { AssumeRole: 1 },
      byStatus: { 200: 2 },
    });
    expect(stats.lastCallAt).toBeGreaterThanOrEqual(stats.firstCallAt);
    expect(stats.firstCallAt).toBeGreaterThan(0);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(1);
  });

  test('recordCalls: false keeps no call log', async () => {
    const box = await sandbox({ fixture: smallOrg(), recordCalls: false });
    await sts(box).send(new GetCallerIdentityCommand({}));
    expect(box.callLog).toEqual([]);
    expect(box.stats().calls).toBe(1);
  });
});
