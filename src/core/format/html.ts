import type { AccountSlice, RunHeader } from '../pipeline/types.js';
import { controlsFrom, countFinding, countsState, type RuleCounts } from './controls.js';
import { ChartCounters } from './html/charts.js';
import {
  controlTokens,
  HTML_PLAN_LIMIT,
  HTML_ROW_SEPARATOR,
  htmlHead,
  htmlPlan,
  htmlRows,
  htmlTail,
  type HtmlAccounts,
} from './html/report.js';
import { defineFormatter, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';

/**
 * One self-contained HTML file: inline CSS, JS and SVG, no network request, a CSP that allows
 * only its own inline blocks. Written account by account: each account's findings are its rows
 * of the page's embedded data; everything above them (scope, cards, control matrix, charts, the
 * first plans) comes from counters and bounded buffers, and is written at the end.
 */
export const htmlFormatter: FormatterEntry = defineFormatter({
  name: 'html',
  description: 'self-contained HTML report with charts, control matrix, filterable findings and plans',
  extension: 'html',
  infersFrom: ['html', 'htm'],
  open: openHtml,
});

/** The plans of one account that the page shows (rendered), by account id. */
interface ShownPlans {
  accountId: string;
  html: string[];
}

/**
 * The first `limit` plans in account-id order (the order of the result), whatever order accounts
 * arrive in: an account's plans are rendered only when fewer than `limit` plans of accounts
 * before it are kept, and an account is dropped once the accounts before it fill the page.
 */
class FirstPlans {
  private kept: ShownPlans[] = [];

  constructor(private readonly limit: number) {}

  /** How many plans of this account could still be shown. */
  room(accountId: string): number {
    const before = this.kept.filter((k) => k.accountId < accountId).reduce((n, k) => n + k.html.length, 0);
    return Math.max(0, this.limit - before);
  }

  add(entry: ShownPlans): void {
    if (entry.html.length === 0) return;
    this.kept.push(entry);
    this.kept.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
    let total = this.kept.reduce((n, k) => n + k.html.length, 0);
    for (let last = this.kept.at(-1); last && total - last.html.length >= this.limit; last = this.kept.at(-1)) {
      total -= last.html.length;
      this.kept.pop();
    }
  }

  save(): ShownPlans[] {
    return this.kept;
  }

  /** The plans shown, first first. */
  shown(): string[] {
    return this.kept.flatMap((k) => k.html).slice(0, this.limit);
  }
}

/** A rule that only findings name (a result merged from older scans): its first finding describes it. */
interface NamedRule {
  at: [string, number];
  value: [string, string[], string[]];
}

function earlier(a: NamedRule, b: NamedRule): boolean {
  return a.at[0] < b.at[0] || (a.at[0] === b.at[0] && a.at[1] < b.at[1]);
}

/** What the page keeps between accounts: counts, a line per account, and the first plans. */
interface HtmlState {
  findings: number;
  plans: number;
  counts: RuleCounts;
  accounts: HtmlAccounts;
  names: Map<string, string | null>;
  unlisted: Map<string, string | null>;
  rules: Map<string, NamedRule>;
}

function openHtml(header: RunHeader, context: FormatContext): ReportSink {
  const known = new Set(header.rules.map((r) => r.id));
  const charts = new ChartCounters();
  const shownPlans = new FirstPlans(HTML_PLAN_LIMIT);
  const state: HtmlState = {
    findings: 0,
    plans: 0,
    counts: new Map(),
    accounts: { listed: 0, ous: new Set(), notScanned: [] },
    names: new Map(),
    unlisted: new Map(),
    rules: new Map(),
  };
  const nameRule = (id: string, rule: NamedRule) => {
    const seen = state.rules.get(id);
    if (!seen || earlier(rule, seen)) state.rules.set(id, rule);
  };
  const absorbAccounts = (other: HtmlAccounts) => {
    const mine = state.accounts;
    mine.listed += other.listed;
    for (const ou of other.ous) mine.ous.add(ou);
    if (other.firstAsOf !== undefined && (mine.firstAsOf === undefined || other.firstAsOf < mine.firstAsOf))
      mine.firstAsOf = other.firstAsOf;
    if (other.lastAsOf !== undefined && (mine.lastAsOf === undefined || other.lastAsOf > mine.lastAsOf)) mine.lastAsOf = other.lastAsOf;
    mine.notScanned.push(...other.notScanned);
  };
  return {
    separator: HTML_ROW_SEPARATOR,
    account(slice) {
      const a = slice.account;
      if (a) {
        state.names.set(a.id, a.name ?? null);
        absorbAccounts({
          listed: 1,
          ous: new Set(a.ouPath ? [a.ouPath] : []),
          ...(a.asOf ? { firstAsOf: a.asOf, lastAsOf: a.asOf } : {}),
          notScanned: a.status === 'scanned' ? [] : [{ id: a.id, name: a.name, status: a.status, reason: a.reason }],
        });
      }
      slice.findings.forEach((f, index) => {
        countFinding(state.counts, f);
        if (!a && !state.unlisted.has(f.accountId)) state.unlisted.set(f.accountId, f.accountName ?? null);
        if (!known.has(f.ruleId)) nameRule(f.ruleId, { at: [slice.id, index], value: [f.title, ...controlTokens(f.frameworks)] });
      });
      state.findings += slice.findings.length;
      charts.add(slice);
      addPlans(slice);
      return htmlRows(slice.findings);
    },
    end(tallies) {
      // The accounts the result lists, then those only findings name, each in id order.
      const byId = ([a]: [string, unknown], [b]: [string, unknown]) => a.localeCompare(b);
      const accountNames = Object.fromEntries([...[...state.names].sort(byId), ...[...state.unlisted].sort(byId)]);
      const rules = Object.fromEntries([
        ...header.rules.map((r) => [r.id, [r.title, ...controlTokens(r.frameworks)]] as const),
        ...[...state.rules.entries()].sort(([, a], [, b]) => (earlier(a, b) ? -1 : 1)).map(([id, r]) => [id, r.value] as const),
      ]);
      const accounts = { ...state.accounts, notScanned: [...state.accounts.notScanned].sort((a, b) => a.id.localeCompare(b.id)) };
      return {
        head: htmlHead({
          header,
          tallies,
          context,
          accounts,
          accountNames,
          rules,
          controls: controlsFrom(tallies.rules, state.counts),
          charts: charts.charts(tallies.rules),
          findings: state.findings,
          plans: { shown: shownPlans.shown(), total: state.plans },
        }),
        tail: htmlTail(),
      };
    },
    state: {
      save: () => ({ ...state, charts: charts.save(), shownPlans: shownPlans.save() }),
      absorb(saved) {
        const other = saved as HtmlState & { charts: ReturnType<ChartCounters['save']>; shownPlans: ShownPlans[] };
        state.findings += other.findings;
        state.plans += other.plans;
        countsState(state.counts).absorb(other.counts);
        absorbAccounts(other.accounts);
        for (const [id, name] of other.names) state.names.set(id, name);
        for (const [id, name] of other.unlisted) if (!state.unlisted.has(id)) state.unlisted.set(id, name);
        for (const [id, rule] of other.rules) nameRule(id, rule);
        charts.absorb(other.charts);
        for (const entry of other.shownPlans) shownPlans.add(entry);
      },
    },
  };

  /** Counts the account's plans, and renders those the page may show (a scan makes a plan's text only when read). */
  function addPlans(slice: AccountSlice): void {
    const count = slice.outlines?.length ?? slice.plans.length;
    state.plans += count;
    const room = count === 0 ? 0 : shownPlans.room(slice.id);
    if (room > 0) shownPlans.add({ accountId: slice.id, html: slice.plans.slice(0, room).map((plan) => htmlPlan(plan, slice.account)) });
  }
}
