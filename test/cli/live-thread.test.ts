/**
 * The live collection on its own thread (src/cli/live-thread.ts) against the collection on the
 * calling thread: the same plan and events, the same errors as the CLI reports them, and a thread
 * that ends when the consumer stops early. The thread runs the compiled worker: `npm run build`
 * first (as for the other tests of the built binary).
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { collectOrganization, type AccountEvent, type CollectedEvent, type CollectionPlan } from '../../src/collectors/aws/collect.js';
import { finishFetched } from '../../src/collectors/aws/fetched.js';
import { withDefaults, type CollectOptions } from '../../src/collectors/aws/options.js';
import { startFailure } from '../../src/cli/live-failure.js';
import { generateOrganization, generateUsersCsv, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
type ThreadModule = typeof import('../../src/cli/live-thread.js');
type PrestartModule = typeof import('../../src/cli/live-prestart.js');
const built = (await import(pathToFileURL(join(ROOT, 'dist/src/cli/live-thread.js')).href)) as ThreadModule;

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

function optionsFor(endpoint: string, secretAccessKey: string, context: CollectOptions['context'] = 'auto'): CollectOptions {
  return withDefaults({
    selection: { mode: 'org' },
    context,
    concurrency: 3,
    aws: {
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIASANDBOXCALLER000', secretAccessKey },
      endpoints: { iam: endpoint, sts: endpoint, organizations: endpoint },
      maxAttempts: 2,
      retryBaseDelayMs: 1,
      requestTimeoutMs: 2000,
    },
  });
}

/**
 * Every event and the plan, with events in account order (completion order varies). An account
 * handed over with its report unparsed is finished as the main thread finishes it (live-scan.ts);
 * `handedOver` receives those as they came.
 */
async function drain(
  events: AsyncGenerator<CollectedEvent>,
  plans: CollectionPlan[],
  handedOver: CollectedEvent[] = [],
): Promise<unknown[]> {
  const all: AccountEvent[] = [];
  for await (const event of events) {
    if (event.type === 'fetched') handedOver.push(event);
    all.push(event.type === 'fetched' ? finishFetched(event.fetched, event.calls) : event);
  }
  const id = (e: AccountEvent) => (e.type === 'scanned' ? e.account.id : e.outcome.id);
  return [plans, all.sort((a, b) => id(a).localeCompare(id(b)))];
}

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('the collection did not fail');
}

describe('live collection on its own thread', { timeout: 120_000 }, () => {
  // `all` reads SCPs per account: scan-level calls that go on after the plan.
  it.each(['auto', 'all'] as const)('gives the same plan and events as on the calling thread (context %s)', async (context) => {
    box = await startSandbox({
      fixture: generateOrganization({ accounts: 9, usersPerAccount: 15, seed: 5, suspendedAccounts: 1 }),
      recordCalls: false,
    });
    const options = optionsFor(box.endpoint, box.credentials.secretAccessKey, context);
    expect(built.collectionThreadAvailable(options, {})).toBe(true);
    const here: CollectionPlan[] = [];
    const there: CollectionPlan[] = [];
    const expected = await drain(collectOrganization(options, { onPlan: (p) => here.push(p) }), here);
    const actual = await drain(built.collectOnThread(options, { onPlan: (p) => there.push(p) }), there);
    // Key order aside: the scan-level calls are counted in whichever order their answers come, on either thread.
    expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(here).toHaveLength(1);
  });

  /**
   * Accounts whose reports are hostile or odd: a report that does not parse, another account's
   * report, a GeneratedTime older than the report's events (the as-of warning), a user name IAM
   * could not have written (a warning, or --strict-names' refusal), a column AWS does not write.
   */
  function hostileOrganization() {
    const fixture = generateOrganization({ accounts: 8, usersPerAccount: 5, seed: 9 });
    const [, malformed, foreign, oldTime, tampered, extraColumn] = fixture.accounts;
    if (!malformed || !foreign || !oldTime || !tampered || !extraColumn) throw new Error('too few accounts');
    const csvOf = (accountId: string) => generateUsersCsv({ accountId, users: 4, seed: 3, generatedAt: Date.now() });
    malformed.faults = { malformedReport: true };
    foreign.report = { csv: csvOf('999999999999') };
    // Every event ten minutes ago, the report "generated" two and a half hours ago: fresh enough, yet older than its events.
    const recent = new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    const stamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00/g;
    oldTime.report = { csv: csvOf(oldTime.id).replace(stamp, recent), generatedTime: new Date(Date.now() - 9_000_000).toISOString() };
    tampered.report = { csv: csvOf(tampered.id).replace(/\n([a-z]+)\.1,/, '\n$1 \u001b[31m.1,') };
    extraColumn.report = { csv: csvOf(extraColumn.id).replace(/\n/g, ',x\n').replace(',x\n', ',extra_column\n') };
    return fixture;
  }

  it.each([
    [false, false],
    [true, false],
    [false, true],
  ])(
    'hands reports over as their text where they decide no call: the same events, warnings and failures (strict names %s, central root management %s)',
    async (strictNames, centralRoot) => {
      // Without central root management no report decides a call; with it, a member whose root lacks MFA reads its account summary.
      box = await startSandbox({
        fixture: { ...hostileOrganization(), features: centralRoot ? ['RootCredentialsManagement'] : [] },
        recordCalls: false,
      });
      // The credential-report pack's needs: no account-context call of its own.
      const contextNeeds = { rootMfa: false, passwordPolicy: false, summary: false };
      const options = { ...optionsFor(box.endpoint, box.credentials.secretAccessKey), contextNeeds, strictNames };
      const expected = await drain(collectOrganization(options), []);
      const handedOver: CollectedEvent[] = [];
      const actual = await drain(built.collectOnThread(options), [], handedOver);
      expect(actual).toEqual(expected);
      // The accounts whose report decided no call came as their report's text, not as parsed principals;
      // with central root management, those whose root the parser must tell (a report not in AWS's shape) did not.
      const events = expected[1] as AccountEvent[];
      const idOf = (e: CollectedEvent) => (e.type === 'fetched' ? e.fetched.base.id : e.type === 'scanned' ? e.account.id : e.outcome.id);
      const withoutCalls = events.filter((e) => e.calls.GetAccountSummary === undefined).map(idOf);
      const handed = handedOver.map(idOf).sort();
      if (centralRoot) expect(handed).toEqual(withoutCalls.filter((id) => id !== '100000000001' && id !== '100000000005'));
      else expect(handed).toEqual(events.map(idOf));
      expect(handed.length).toBeGreaterThanOrEqual(centralRoot ? 3 : 8);
      for (const event of handedOver) expect(event.type === 'fetched' && typeof event.fetched.report.csv).toBe('string');
      // The hostile reports still give their diagnostics, in the report's order.
      const reasons = events.map((e) => (e.type === 'scanned' ? e.warnings.map((w) => w.message) : [e.outcome.reason]));
      expect(reasons[1]?.[0]).toMatch(/^malformed credential report: line /);
      expect(reasons[2]).toEqual(['the credential report belongs to account 999999999999, not 100000000002']);
      expect(reasons[3]?.at(-1)).toMatch(/^GeneratedTime \S+ is older than events the report records/);
      expect(reasons[4]?.[0]).toMatch(strictNames ? /^credential report refused \(--strict-names\): 1 row/ : /breaks IAM's rules/);
      expect(reasons[5]?.join()).toMatch(/extra_column/);
    },
  );

  it('parses reports on the collection thread where they decide calls (context all)', async () => {
    box = await startSandbox({ fixture: generateOrganization({ accounts: 3, usersPerAccount: 2, seed: 5 }), recordCalls: false });
    const handedOver: CollectedEvent[] = [];
    await drain(built.collectOnThread(optionsFor(box.endpoint, box.credentials.secretAccessKey, 'all')), [], handedOver);
    expect(handedOver).toEqual([]);
  });

  it.each([
    ['wrong credentials (a usage error, exit 2)', 'not-the-secret', 'UsageError'],
    ['nothing listening (an incomplete scan, exit 3)', undefined, 'IncompleteScanError'],
  ])('stops with the error the calling thread would give: %s', async (_label, secret, name) => {
    box = await startSandbox({ fixture: generateOrganization({ accounts: 2, usersPerAccount: 2, seed: 5 }), recordCalls: false });
    const options = optionsFor(secret === undefined ? 'http://127.0.0.1:9' : box.endpoint, secret ?? box.credentials.secretAccessKey);
    const expected = startFailure(await failureOf(() => drain(collectOrganization(options), [])));
    const actual = (await failureOf(() => drain(built.collectOnThread(options), []))) as Error & Record<string, unknown>;
    expect(actual.name).toBe(name);
    expect(actual.constructor.name).toBe(name);
    expect({ ...actual, message: actual.message }).toEqual({ ...expected, message: expected.message });
  });

  it('gives the same events from a thread started before its options were known, and collects only once', async () => {
    const thread = built.prestartCollectionThread();
    expect(thread).toBeDefined();
    box = await startSandbox({ fixture: generateOrganization({ accounts: 5, usersPerAccount: 4, seed: 6 }), recordCalls: false });
    const options = optionsFor(box.endpoint, box.credentials.secretAccessKey);
    const expected = await drain(collectOrganization(options), []);
    expect(await drain(built.collectOnThread(options, {}, thread), [])).toEqual(expected);
    await expect(drain(built.collectOnThread(options, {}, thread), [])).rejects.toThrow('a collection thread collects once');
  });

  it('adopts the Worker the launcher spawned ahead (bin/credwarden.js, for a live scan) and collects on it', async () => {
    const ahead = (await import(pathToFileURL(join(ROOT, 'dist/src/cli/live-prestart.js')).href)) as PrestartModule;
    ahead.spawnCollectionWorkerAhead();
    const thread = built.prestartCollectionThread();
    // Taken once: a second scan in the process (tests) spawns its own.
    expect(ahead.adoptCollectionWorker()).toBeUndefined();
    box = await startSandbox({ fixture: generateOrganization({ accounts: 4, usersPerAccount: 3, seed: 6 }), recordCalls: false });
    const options = optionsFor(box.endpoint, box.credentials.secretAccessKey);
    const expected = await drain(collectOrganization(options), []);
    expect(await drain(built.collectOnThread(options, {}, thread), [])).toEqual(expected);
  });

  it('begins before the context needs are known: lists the organisation, scans no account until the needs come', async () => {
    box = await startSandbox({ fixture: generateOrganization({ accounts: 6, usersPerAccount: 4, seed: 8 }), recordCalls: false });
    // The needs that come later ask for account context: each account then reads its root MFA and password policy.
    const options = {
      ...optionsFor(box.endpoint, box.credentials.secretAccessKey),
      contextNeeds: { rootMfa: true, passwordPolicy: true, summary: true },
    };
    const expected = await drain(collectOrganization(options), []);
    const thread = built.prestartCollectionThread();
    if (!thread) throw new Error('no compiled collection thread: run npm run build');
    const before = { ...box.stats().okByOperation };
    thread.begin({ ...options, contextNeeds: { rootMfa: false, passwordPolicy: false, summary: false } });
    const since = (operation: string) => (box?.stats().okByOperation[operation] ?? 0) - (before[operation] ?? 0);
    for (let waited = 0; since('ListAccountsForParent') === 0 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((wait) => setTimeout(wait, 300));
    expect(since('GetCallerIdentity')).toBe(1);
    expect(since('ListAccountsForParent')).toBeGreaterThan(0);
    expect(since('AssumeRole')).toBe(0);
    // The needs given with the options replace the placeholder: the same events as a collection that knew them from the start.
    expect(await drain(built.collectOnThread(options, {}, thread), [])).toEqual(expected);
  });

  it('refuses to finish a begun collection with other options', async () => {
    const thread = built.prestartCollectionThread();
    if (!thread) throw new Error('no compiled collection thread: run npm run build');
    const options = optionsFor('http://127.0.0.1:9', 'secret');
    thread.begin(options);
    const other = { ...options, concurrency: options.concurrency + 1 };
    await expect(drain(built.collectOnThread(other, {}, thread), [])).rejects.toThrow('began with other options');
  });

  it('lets a live scan refused before collecting exit (its early thread unused)', async () => {
    // An unknown pack stops the scan while the rules load, after the collection thread started.
    const run = promisify(execFile)(process.execPath, [join(ROOT, 'bin/credwarden.js'), 'scan', '--org', '--pack', 'no-such-pack'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
      timeout: 60_000,
    });
    const failure = (await run.then(
      () => undefined,
      (error: unknown) => error,
    )) as { code?: number; killed?: boolean; stderr?: string };
    expect(failure.killed).toBe(false);
    expect(failure.code, failure.stderr).toBe(2);
  });

  it('ends the thread when the consumer stops early', async () => {
    box = await startSandbox({
      fixture: generateOrganization({ accounts: 40, usersPerAccount: 2, seed: 5 }),
      latencyMs: 5,
      recordCalls: false,
    });
    const options = optionsFor(box.endpoint, box.credentials.secretAccessKey);
    const before = box.stats().calls;
    let taken = 0;
    for await (const _event of built.collectOnThread(options)) if (++taken === 2) break;
    const stopped = box.stats().calls;
    await new Promise((wait) => setTimeout(wait, 300));
    // No call reaches the sandbox once the consumer has stopped (the thread is gone).
    expect(box.stats().calls).toBe(stopped);
    expect(stopped - before).toBeLessThan(40 * 2);
  });
});
