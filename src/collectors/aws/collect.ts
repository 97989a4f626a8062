/**
 * Live collection across an AWS Organization: select accounts, assume the scanning role in
 * each, fetch the credential report and the account context, and stream each account out
 * as soon as it is done (nothing is kept per account after it is yielded).
 */
import { DescribeOrganizationCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { Account, AccountOutcome, Diagnostic } from '../../model/index.js';
import { assumeAccountRole, callerIdentity, type CallerIdentity } from './assume.js';
import { Channel } from './channel.js';
import { collectRecoveryWithAvailability, ScpReader } from './authorization.js';
import { AwsClients } from './clients.js';
import { readAccountContext, readOrganizationFeatures, UNKNOWN, type OrganizationFacts } from './context.js';
import { contextAvailability, planContext, planWithoutCalls } from './context-plan.js';
import { credentialReadsFor, readCredentials, withCredentialFacts } from './credentials.js';
import { AccountFailure } from './errors.js';
import {
  checkReport,
  failedEvent,
  leadingRootMfa,
  refusedEvent,
  reportAccount,
  scannedEvent,
  type AccountBase,
  type FetchedAccount,
  type RootManagement,
} from './fetched.js';
import type { CollectOptions, ContextNeeds } from './options.js';
import { fetchCredentialReport, reportFailureReason, systemClock, type Clock, type FetchedReport } from './report.js';
import { shardOf } from '../../core/baseline/shard.js';
import { managementAccountOf, selectAccounts, streamOrganization, type AccountTarget, type Selection } from './select.js';

/** AWS calls made for one account (or for the scan itself), by operation. */
export type CallCounts = Record<string, number>;

/** One account's result, streamed as soon as it is known. */
export type AccountEvent =
  | { type: 'scanned'; account: Account; calls: CallCounts; warnings: Diagnostic[] }
  | {
      type: 'failed' | 'skipped';
      outcome: AccountOutcome;
      calls: CallCounts;
      /** --strict-names: the rows of the account's report that IAM could not have written (the scan exits 2). */
      refused?: Diagnostic[];
    };

/**
 * An account handed over with its credential report unparsed (hooks.handOver): the thread that
 * processes it makes its event with finishFetched (./fetched.ts).
 */
export interface FetchedEvent {
  type: 'fetched';
  fetched: FetchedAccount;
  calls: CallCounts;
}

/** What the collection yields: with hooks.handOver, some accounts as {@link FetchedEvent}s. */
export type CollectedEvent = AccountEvent | FetchedEvent;

/** What the collection learnt before scanning accounts. */
export interface CollectionPlan {
  caller: CallerIdentity;
  /** Accounts that are scanned (not counting skipped ones). */
  total: number;
  skipped: number;
  organization: OrganizationFacts;
  /** Non-fatal problems of the selection (e.g. OU paths unavailable). */
  warnings: string[];
  /** Scan-level calls so far (identity, Organizations, features). */
  calls: CallCounts;
}

/** Optional observers and test seams. */
export interface CollectHooks {
  /** Called once the selection is known: before the first event, except with streamed `--org` (see collectOrganization). */
  onPlan?(plan: CollectionPlan): void;
  /** Time, sleep and randomness (report polling); default the real clock. */
  clock?: Clock;
  /**
   * The account-context needs, when the rules that decide them are still loading (live-thread.ts
   * starts the collection early): the scan-level calls (identity, organisation, account list) go
   * out at once, accounts wait for these needs, which replace `options.contextNeeds`.
   */
  contextNeeds?: Promise<ContextNeeds>;
  /**
   * Hand over each account whose report decides no further call as a {@link FetchedEvent}, its
   * report unparsed: the collection thread sets it, so the report is parsed by the thread that
   * processes the account (src/cli/live-worker.ts).
   */
  handOver?: boolean;
}

function counter(counts: CallCounts): (operation: string) => void {
  return (operation) => {
    counts[operation] = (counts[operation] ?? 0) + 1;
  };
}

interface ScanContext {
  options: CollectOptions;
  clients: AwsClients;
  sts: STSClient;
  caller: CallerIdentity;
  /** Read once, in parallel with the first accounts; awaited only when an account needs it. */
  organization: Promise<OrganizationFacts>;
  clock: Clock;
  /** Set when recovery paths are collected (context `all`, or `auto` with needs.recovery). */
  scps?: ScpReader;
  /** Accounts whose report decides no further call are handed over unparsed (CollectHooks.handOver). */
  handOver: boolean;
}

async function organizationFacts(
  ctx: Pick<ScanContext, 'options' | 'clients'>,
  org: OrganizationsClient | undefined,
  scanCalls: CallCounts,
): Promise<OrganizationFacts> {
  if (ctx.options.context === 'none' || !org) return { rootCredentialsManagement: UNKNOWN, rootSessions: UNKNOWN };
  let managementAccountId: string | undefined;
  try {
    managementAccountId = managementAccountOf((await org.send(new DescribeOrganizationCommand({}))).Organization);
  } catch {
    // Unknown management account: every account is treated as a member.
  }
  // Optional and once per scan: a few attempts, so an endpoint without the operation does not stall every account.
  const features = await readOrganizationFeatures(ctx.clients.callerIam(counter(scanCalls), 3));
  return { ...(managementAccountId ? { managementAccountId } : {}), ...features };
}

async function accountIam(ctx: ScanContext, target: AccountTarget, calls: CallCounts): Promise<IAMClient> {
  if (target.id === ctx.caller.accountId && !ctx.options.assumeRoleInCallerAccount) return ctx.clients.callerIam(counter(calls));
  calls.AssumeRole = (calls.AssumeRole ?? 0) + 1;
  const credentials = await assumeAccountRole(ctx.sts, ctx.caller.partition, target.id, ctx.options);
  return ctx.clients.accountIam(credentials, counter(calls));
}

/** The organisation's say on an account's root credentials, and whether the account is a member (undefined: unknown). */
function rootManagementOf(organization: OrganizationFacts, accountId: string): RootManagement & { isMember: boolean | undefined } {
  const managed = organization.managementAccountId;
  // Central root management covers member accounts only; without DescribeOrganization we cannot tell.
  const isMember = managed === undefined ? undefined : accountId !== managed;
  return {
    isMember,
    rootCredentialsManagement: isMember === false ? false : organization.rootCredentialsManagement,
    rootSessions: isMember === false ? false : organization.rootSessions,
  };
}

/**
 * The account handed over with its report unparsed (hooks.handOver), when the report decides no
 * further call: no context call whatever its root, no credential reads, no recovery paths.
 */
function handedOver(
  ctx: ScanContext,
  base: AccountBase,
  report: FetchedReport,
  organization: OrganizationFacts,
): FetchedAccount | undefined {
  const { options } = ctx;
  if (ctx.scps || Object.values(credentialReadsFor(options.context, options.contextNeeds)).some(Boolean)) return undefined;
  const { isMember, ...root } = rootManagementOf(organization, base.id);
  // Where only the root's MFA decides the calls, a glance at the root's row may tell them.
  const plan = planWithoutCalls(
    options.context,
    options.contextNeeds,
    root.rootCredentialsManagement,
    isMember !== false,
    leadingRootMfa(report.csv),
  );
  if (!plan) return undefined;
  return {
    base,
    report,
    fetchedAtMs: ctx.clock.now(),
    callerPartition: ctx.caller.partition,
    strictNames: options.strictNames === true,
    context: {
      mode: options.context,
      plan,
      root,
      ...(organization.unknownBecause !== undefined ? { organizationUnknown: organization.unknownBecause } : {}),
    },
  };
}

async function scanAccount(ctx: ScanContext, target: AccountTarget): Promise<CollectedEvent> {
  const calls: CallCounts = {};
  const base = { id: target.id, ...(target.name ? { name: target.name } : {}), ...(target.ouPath ? { ouPath: target.ouPath } : {}) };
  try {
    const iam = await accountIam(ctx, target, calls);
    let report;
    try {
      report = await fetchCredentialReport(iam, ctx.options, ctx.clock);
    } catch (error) {
      throw new AccountFailure(reportFailureReason(error));
    }
    if (ctx.handOver) {
      const fetched = handedOver(ctx, base, report, await ctx.organization);
      if (fetched) return { type: 'fetched', fetched, calls };
    }
    const checked = checkReport(base, report, ctx.clock.now(), ctx.options.strictNames === true);
    if ('refused' in checked) return refusedEvent(base, calls, checked.refused);
    const { parsed } = checked;
    const root = parsed.principals.find((p) => p.type === 'root');
    const organization = await ctx.organization;
    const { isMember, ...rootManagement } = rootManagementOf(organization, target.id);
    const plan = planContext(
      ctx.options.context,
      ctx.options.contextNeeds,
      root,
      rootManagement.rootCredentialsManagement,
      isMember !== false,
    );
    const [context, credentials] = await Promise.all([
      readAccountContext(iam, plan, root, parsed.partition || ctx.caller.partition, target.id),
      readCredentials(iam, credentialReadsFor(ctx.options.context, ctx.options.contextNeeds), parsed.principals, {
        pollDelayMs: ctx.options.pollDelayMs,
        clock: ctx.clock,
        timeoutMs: ctx.options.reportTimeoutMs,
      }),
    ]);
    const account = withCredentialFacts(credentials, reportAccount(base, checked, report, ctx.caller.partition, context, rootManagement));
    // Fact availability (factsCollected / factsUnavailable): which rules can be decided here.
    const recovery = ctx.scps ? await collectRecoveryWithAvailability(account, iam, ctx.scps, organization.managementAccountId) : undefined;
    const collected = recovery?.account ?? account;
    const contextFacts = contextAvailability(ctx.options.context, plan, collected.facts ?? {}, root, organization.unknownBecause);
    return scannedEvent(
      collected,
      calls,
      checked.warnings,
      contextFacts,
      credentials.availability,
      ...(recovery ? [recovery.availability] : []),
    );
  } catch (error) {
    return failedEvent(base, calls, error);
  }
}

/** The longest session AWS grants to a role assumed by a role session (role chaining). */
const CHAINED_MAX_SECONDS = 3600;

/**
 * A caller that is itself an assumed role (SSO, CI, instance roles) chains roles: AWS rejects
 * AssumeRole with DurationSeconds above one hour for every account. Cap it, and say so.
 */
export function chainedRoleOptions(options: CollectOptions, caller: CallerIdentity): { roleOptions: CollectOptions; warning?: string } {
  if (!caller.arn.includes(':assumed-role/') || options.durationSeconds <= CHAINED_MAX_SECONDS) return { roleOptions: options };
  return {
    roleOptions: { ...options, durationSeconds: CHAINED_MAX_SECONDS },
    warning: `--duration capped at 1h: the caller is an assumed role, and AWS limits role chaining to one-hour sessions`,
  };
}

/**
 * Collects credential reports from the selected accounts of an AWS Organization.
 *
 * Yields one event per selected account (scanned, failed or skipped) in completion order,
 * scanning at most `options.concurrency` accounts at a time. With plain `--org` (no filter),
 * scanning starts while the account list is still being paged, so `hooks.onPlan` may come
 * after the first events; otherwise it comes first. A failing account becomes a `failed`
 * event with a reason; the collection goes on. Finished accounts wait in a small buffer
 * when the consumer is slower than the scan, so memory stays bounded. With `hooks.handOver`,
 * an account whose report decides no further call comes as a `fetched` event instead, its
 * report unparsed (finishFetched in ./fetched.ts makes the event it stands for).
 * Every AWS client is read-only (see allow-list.ts) and per-account clients use only that
 * account's credentials.
 *
 * @throws when the caller's identity or the organisation cannot be read (nothing to scan)
 * @throws InputError for account ids or OUs that are not in the organisation
 */
export function collectOrganization(options: CollectOptions, hooks?: CollectHooks & { handOver?: false }): AsyncGenerator<AccountEvent>;
export function collectOrganization(options: CollectOptions, hooks: CollectHooks): AsyncGenerator<CollectedEvent>;
export async function* collectOrganization(options: CollectOptions, hooks: CollectHooks = {}): AsyncGenerator<CollectedEvent> {
  const clients = new AwsClients(options.aws, options.concurrency);
  const limiter = pLimit(options.concurrency);
  try {
    const scanCalls: CallCounts = {};
    const sts = clients.callerSts();
    counter(scanCalls)('GetCallerIdentity');
    // The organisation is read while the caller's identity is asked: a round trip less before the
    // first account. Its errors are reported only after the identity's (awaited first, below).
    const identity = callerIdentity(sts);
    identity.catch(() => undefined);
    const org = options.selection.mode === 'caller' ? undefined : clients.callerOrganizations(counter(scanCalls));
    const organization = organizationFacts({ options, clients }, org, scanCalls);
    const chained = identity.then((caller) => chainedRoleOptions(options, caller));
    // Accounts need the caller and the context needs: known now, or once the rules have loaded (hooks.contextNeeds).
    const needs = hooks.contextNeeds ?? Promise.resolve(options.contextNeeds);
    const ready = Promise.all([identity, chained, needs]).then(([caller, { roleOptions }, contextNeeds]): ScanContext => {
      const recovery = options.context === 'all' || (options.context === 'auto' && contextNeeds.recovery === true);
      const scps = recovery ? new ScpReader(org ?? clients.callerOrganizations(counter(scanCalls))) : undefined;
      return {
        options: { ...roleOptions, contextNeeds },
        clients,
        sts,
        caller,
        organization,
        clock: hooks.clock ?? systemClock,
        ...(scps ? { scps } : {}),
        handOver: hooks.handOver === true,
      };
    });

    // A failed identity rejects these too: it is reported once, where it is awaited first (below).
    for (const derived of [chained, ready]) derived.catch(() => undefined);

    // Bounded: finished accounts wait for a slow consumer instead of piling up in memory.
    const channel = new Channel<{ event: CollectedEvent } | { plan: CollectionPlan }>(Math.max(64, options.concurrency * 4));
    const running: Promise<void>[] = [];
    const schedule = (target: AccountTarget) => {
      const task = limiter(async () => channel.push({ event: await scanAccount(await ready, target) }));
      // Rejected only when the caller's identity failed, which is reported instead (below).
      task.catch(() => undefined);
      running.push(task);
    };
    const skip = (outcome: AccountOutcome) => channel.push({ event: { type: 'skipped', outcome, calls: {} } });
    const plan = async (total: number, skipped: number, warnings: string[]) => {
      const chainWarning = (await chained).warning;
      return channel.push({
        plan: {
          caller: await identity,
          total,
          skipped,
          organization: await organization,
          warnings: chainWarning ? [chainWarning, ...warnings] : warnings,
          calls: scanCalls,
        },
      });
    };

    const selection = options.selection;
    // Sharded jobs never touch another shard's accounts: the split costs no AWS calls.
    const inShard = (id: string) => !selection.shard || shardOf(id, selection.shard.count) === selection.shard.index;
    const streamed =
      org !== undefined &&
      selection.mode === 'org' &&
      !selection.accounts?.length &&
      !selection.exclude?.length &&
      !selection.organizationalUnits?.length;
    const produce = async () => {
      if (streamed) {
        // Scan each account as soon as the walk of the OU tree places it; the plan follows once the list is complete.
        let total = 0;
        let skipped = 0;
        const listed = await streamOrganization(org, ({ target, skipReason }) => {
          if (!inShard(target.id)) return;
          if (skipReason) {
            skipped++;
            running.push(skip({ ...target, status: 'skipped', reason: skipReason }));
          } else {
            total++;
            schedule(target);
          }
        });
        await plan(total, skipped, listed.warning ? [listed.warning] : []);
      } else {
        const caller = await identity;
        const all: Selection = org
          ? await selectAccounts(org, selection, caller.accountId)
          : { targets: [{ id: caller.accountId }], skipped: [], warnings: [] };
        const selected: Selection = {
          ...all,
          targets: all.targets.filter((t) => inShard(t.id)),
          skipped: all.skipped.filter((o) => inShard(o.id)),
        };
        await plan(selected.targets.length, selected.skipped.length, selected.warnings);
        for (const outcome of selected.skipped) await skip(outcome);
        for (const target of selected.targets) schedule(target);
      }
      await Promise.all(running);
    };
    produce().then(
      () => channel.close(),
      (error: unknown) => channel.fail(error),
    );
    // Nothing to scan without the caller: its error comes first, whatever the listing met meanwhile.
    await identity;
    for (let next = await channel.next(); !next.done; next = await channel.next()) {
      if ('plan' in next.value) hooks.onPlan?.(next.value.plan);
      else yield next.value.event;
    }
  } finally {
    // Stop queued accounts if the consumer stopped early (or listing failed); then close the sockets.
    limiter.clearQueue();
    clients.close();
  }
}
