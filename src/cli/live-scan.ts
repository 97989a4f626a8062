/**
 * `credwarden scan` without --from: collect from AWS (or, with --demo, from the bundled
 * sandbox organisation) into a snapshot, with progress on stderr.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Account, AccountOutcome, Diagnostic, Snapshot } from '../model/index.js';
import { formatDiagnostic, InputError } from '../model/index.js';
import type { CallCounts, CollectedEvent, CollectHooks } from '../collectors/aws/collect.js';
import { finishFetched } from '../collectors/aws/fetched.js';
import type { CollectOptions } from '../collectors/aws/options.js';
import { ScanProgress } from '../collectors/aws/progress.js';
import type { LoadedRuleset } from '../collectors/files/rules.js';
import { packageRoot } from '../collectors/files/package-root.js';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox } from '../sandbox/index.js';
import { liveCollectOptions, type AwsScanOptions } from './aws-options.js';
import { startFailure } from './live-failure.js';
import { collectionThreadAvailable, collectOnThread, type CollectionThread } from './live-thread.js';
import type { CliIO } from './io.js';
import type { EvaluationOptions } from './options.js';

/** Options the live scan reads. */
export type LiveScanOptions = AwsScanOptions & Pick<EvaluationOptions, 'quiet' | 'verbose'> & { strictNames?: boolean };

/** Receives accounts as the collection completes them. */
export interface AccountSink {
  /** Awaited: with worker threads it resolves once another account may come (back-pressure on the collection). */
  account(account: Account): void | Promise<void>;
  outcome(outcome: AccountOutcome): void;
}

/**
 * The collection's events: on a thread of its own where it can be (live-thread.ts), so the AWS
 * SDK's CPU overlaps the processing (`thread` when one was started early), with reports handed
 * over unparsed where they decide no further call; else here (the SDK is then loaded only now).
 */
async function* collection(
  options: CollectOptions,
  hooks: Pick<CollectHooks, 'onPlan'>,
  thread: CollectionThread | undefined,
): AsyncGenerator<CollectedEvent> {
  if (collectionThreadAvailable(options, hooks)) return yield* collectOnThread(options, hooks, thread);
  await thread?.close();
  const { collectOrganization } = await import('../collectors/aws/collect.js');
  return yield* collectOrganization(options, hooks);
}

/** Streams the collection into `sink`, reporting progress. */
async function collectInto(
  options: CollectOptions,
  cli: LiveScanOptions,
  io: CliIO,
  sink: AccountSink,
  thread?: CollectionThread,
): Promise<void> {
  const progress = new ScanProgress({
    write: (t) => io.stderr(t),
    tty: io.stderrIsTTY,
    quiet: cli.quiet === true,
    verbose: cli.verbose === true,
  });
  const warnings: Diagnostic[] = [];
  const refused: Diagnostic[] = [];
  let scanCalls: CallCounts | undefined;
  try {
    const events = collection(
      options,
      {
        onPlan: (plan) => {
          scanCalls = plan.calls;
          progress.start(plan.total, plan.skipped, plan.warnings);
          if (cli.verbose && !cli.quiet && plan.organization.unknownBecause)
            io.stderr(`credwarden: organisation features unknown: ${plan.organization.unknownBecause}\n`);
        },
      },
      thread,
    );
    for await (const collected of events) {
      // A report the collection thread handed over unparsed is parsed here, where the account is processed.
      const event = collected.type === 'fetched' ? finishFetched(collected.fetched, collected.calls) : collected;
      progress.account(event);
      if (event.type === 'scanned') {
        await sink.account(event.account);
        warnings.push(...event.warnings);
      } else if (event.refused) refused.push(...event.refused);
      else sink.outcome(event.outcome);
    }
  } catch (error) {
    // Wrong credentials or permissions: exit 2; the network, a timeout or a 5xx: incomplete (exit 3).
    throw startFailure(error);
  }
  progress.finish(scanCalls);
  if (!cli.quiet) for (const warning of warnings) io.stderr(`credwarden: ${formatDiagnostic(warning)}\n`);
  // As with --from: a report IAM could not have written refuses the scan (exit 2), naming account and rows.
  if (refused.length > 0) throw new InputError(refused, 'credential reports refused (--strict-names)');
}

/**
 * The fixture `--demo` names: a bundled organisation by name (`recovery-org`), a path relative
 * to the working folder, or a bundled path as the README writes it
 * (`examples/sandbox/recovery-org.json`), which works from any folder, not only the checkout.
 * @throws InputError naming the bundled organisations when nothing matches
 */
function demoFixturePath(demo: boolean | string | undefined, io: CliIO): string {
  const bundled = join(packageRoot(), dirname(DEMO_FIXTURE_PATH));
  if (typeof demo !== 'string') return join(packageRoot(), DEMO_FIXTURE_PATH);
  const candidates = [resolve(io.cwd, demo), join(bundled, `${demo}.json`), join(bundled, `${demo}.yaml`), join(packageRoot(), demo)];
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile());
  if (found) return found;
  const names = readdirSync(bundled)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => f.replace(/\.(json|ya?ml)$/, ''));
  throw new InputError(
    [
      {
        severity: 'error',
        file: '--demo',
        message: `no sandbox organisation '${demo}' (neither a bundled name nor a file)`,
        suggestion: `bundled: ${names.join(', ')}; or pass a fixture file`,
      },
    ],
    'unknown demo organisation',
  );
}

/** Starts the bundled sandbox organisation and scans it through the full live path. */
async function collectDemo(
  options: CollectOptions,
  cli: LiveScanOptions,
  io: CliIO,
  sink: AccountSink,
  thread: CollectionThread | undefined,
): Promise<void> {
  const fixture = loadFixture(demoFixturePath(cli.demo, io));
  const sandbox = await startSandbox({ fixture, recordCalls: false });
  try {
    const endpoints = { iam: sandbox.endpoint, sts: sandbox.endpoint, organizations: sandbox.endpoint };
    if (!cli.quiet) io.stderr(`credwarden: demo: sandbox organisation on ${sandbox.endpoint} (no AWS account is used)\n`);
    // The sandbox is local: poll report generation quickly.
    return await collectInto(
      {
        ...options,
        pollDelayMs: { initial: 50, max: 400 },
        selection: { ...options.selection, mode: 'org' },
        aws: { ...options.aws, endpoints, credentials: sandbox.credentials },
      },
      cli,
      io,
      sink,
      thread,
    );
  } finally {
    await sandbox.close();
  }
}

/**
 * Collects from AWS for `credwarden scan` (no --from): the caller's account, `--org`,
 * `--accounts`/`--ou`, or the `--demo` sandbox. Accounts reach `sink` as they complete.
 * `thread`: a collection thread started early (live-thread.ts, prestartCollectionThread), used
 * or closed here.
 * @throws InputError for bad flags (exit 2); UsageError when the scan cannot start
 */
export async function collectLive(
  cli: LiveScanOptions,
  io: CliIO,
  loaded: LoadedRuleset,
  sink: AccountSink,
  thread?: CollectionThread,
): Promise<void> {
  try {
    const options = liveCollectOptions(cli, io, loaded.ruleset.rules);
    await (cli.demo ? collectDemo(options, cli, io, sink, thread) : collectInto(options, cli, io, sink, thread));
  } finally {
    // Unused when the options were refused or the demo sandbox did not start.
    await thread?.close();
  }
}

/** Like {@link collectLive}, gathering everything into one snapshot (for `explain`). */
export async function collectLiveSnapshot(cli: LiveScanOptions, io: CliIO, loaded: LoadedRuleset): Promise<Snapshot> {
  const accounts: Account[] = [];
  const outcomes: AccountOutcome[] = [];
  await collectLive(cli, io, loaded, { account: (a) => void accounts.push(a), outcome: (o) => outcomes.push(o) });
  accounts.sort((a, b) => a.id.localeCompare(b.id));
  outcomes.sort((a, b) => a.id.localeCompare(b.id));
  return { schemaVersion: 1, accounts, ...(outcomes.length > 0 ? { skippedAccounts: outcomes } : {}) };
}
