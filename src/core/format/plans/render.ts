import { escapeMarkdownInline, visibleControls } from '../../util/escape.js';
import { accountCheck, comparePlans } from '../../remediation/planner.js';
import type { Actor, PlanAccess, PlanSet, PlanStep, PrincipalPlan } from '../../remediation/types.js';

/** Options of the Markdown renderer. */
export interface MarkdownPlanOptions {
  /** Level of the top heading (1 = `#`); a report embedding the plans passes 2 or 3. */
  headingLevel?: number;
  /** Leave out the top heading and header note (when the host document has its own). */
  omitTitle?: boolean;
  /**
   * For a terminal, where nobody renders the Markdown: prose is written as it is, with no HTML
   * entities (a placeholder reads <ACCESS_KEY_ID_1>, not &lt;ACCESS_KEY_ID_1&gt;).
   */
  terminal?: boolean;
}

/** A placeholder the reader replaces, e.g. <ACCESS_KEY_ID_1> or <ADMIN_ROLE_ARN>. */
const PLACEHOLDER = /<[A-Z][A-Z0-9_]*>/g;

const ACTOR_LABEL: Readonly<Record<Actor, string>> = {
  root: 'root user',
  'iam-user': 'IAM user',
  administrator: 'administrator',
  'management-account': 'management account',
  auditor: 'auditor (read-only)',
};

/**
 * Renders plans as Markdown for people: an index, then one section per principal in the
 * order of the highest severity it covers, each starting with the account it runs in and a
 * check that stops in the wrong account, then goals, safety notes, numbered steps with their
 * commands, alternatives, verification and links. Pure; the Markdown report formatter can call it.
 */
export function renderPlansMarkdown(plans: PlanSet, options: MarkdownPlanOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 1, 1), 4);
  const h = (depth: number) => '#'.repeat(Math.min(level + depth, 6));
  const prose = options.terminal ? plainText : escapeMarkdown;
  const out: string[] = [];
  if (!options.omitTitle) out.push(`${h(0)} Remediation plans`, '', `> ${prose(plans.header)}`, '');
  for (const note of plans.notes ?? []) out.push(`> ${prose(note)}`, '');
  const ordered = orderedPlans(plans);
  if (ordered.length === 0) out.push('No open findings need a plan.', '');
  else out.push(...renderIndex(ordered, h, prose), '');
  ordered.forEach((plan, i) => out.push(...renderPlan(plan, i + 1, h, prose)));
  if (plans.unknownProcedures.length > 0) {
    out.push(`${h(1)} Findings without a procedure`, '');
    for (const u of plans.unknownProcedures)
      out.push(`- rule ${code(u.ruleId)} names procedure ${code(u.procedure)}, which is not in the catalogue`);
    out.push('');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Every plan, highest severity first across all accounts. */
function orderedPlans(plans: PlanSet): PrincipalPlan[] {
  const all = plans.accounts.flatMap((a) =>
    a.plans.map((p) => ({ ...p, accountId: a.accountId, accountName: p.accountName ?? a.accountName })),
  );
  const accountOrder = new Map(plans.accounts.map((a, i) => [a.accountId, i]));
  return all.sort((a, b) => comparePlans(a, b) || (accountOrder.get(a.accountId) ?? 0) - (accountOrder.get(b.accountId) ?? 0));
}

function renderIndex(plans: readonly PrincipalPlan[], h: (depth: number) => string, prose: (text: string) => string): string[] {
  const out = [`${h(1)} Index`, '', '| # | Severity | Account | Principal | Findings |', '|---|---|---|---|---|'];
  plans.forEach((plan, i) => {
    const account = `${plan.accountId}${plan.accountName ? ` (${prose(plan.accountName)})` : ''}`;
    out.push(
      `| ${i + 1} | ${topSeverity(plan)} | ${account.replace(/\|/g, '\\|')} | ${principalLabel(plan).replace(/\|/g, '\\|')} | ${plan.findings.length} |`,
    );
  });
  return out;
}

function topSeverity(plan: PrincipalPlan): string {
  return (
    [...plan.findings].sort((a, b) =>
      comparePlans({ findings: [a], principal: plan.principal }, { findings: [b], principal: plan.principal }),
    )[0]?.severity ?? 'info'
  );
}

function principalLabel(plan: PrincipalPlan): string {
  return plan.principal.type === 'root' ? 'Root user' : `IAM user ${code(plan.principal.name)}`;
}

/**
 * Prose from reports and rules (names, messages) may hold anything: keep it one line,
 * and escape what would turn into HTML, links or code. Placeholders such as
 * <ACCESS_KEY_ID_1> become code spans, which every viewer shows as they are.
 */
export function escapeMarkdown(text: string): string {
  const parts = text.split(PLACEHOLDER);
  const placeholders = text.match(PLACEHOLDER) ?? [];
  return parts.map((part, i) => escapeMarkdownInline(part) + (placeholders[i] !== undefined ? `\`${placeholders[i]}\`` : '')).join('');
}

/** Prose for a terminal: one line, control and invisible characters shown as escapes, nothing else changed. */
function plainText(text: string): string {
  return visibleControls(text.replace(/[\r\n]+/g, ' '));
}

/** A value shown as inline code: backticks and line breaks cannot be escaped there. */
function code(text: string): string {
  return `\`${visibleControls(text.replace(/[\r\n]+/g, ' ')).replace(/`/g, "'")}\``;
}

/** Commands go into fenced blocks: a line break would start a new command. */
function commandLine(command: string): string {
  return command.replace(/[\r\n]+/g, ' ');
}

function renderPlan(plan: PrincipalPlan, n: number, h: (depth: number) => string, prose: (text: string) => string): string[] {
  const account = `${plan.accountId}${plan.accountName ? ` (${prose(plan.accountName)})` : ''}`;
  const out = [`${h(1)} ${n}. ${principalLabel(plan)} — account ${account}`, ''];
  out.push(...renderAccess(plan.access ?? defaultAccess(plan), prose));
  out.push(
    `Who acts: ${plan.actors.map((a) => ACTOR_LABEL[a]).join(', ') || 'nobody (nothing to do)'}${plan.administrators.length > 0 ? ` — administrators who can reset credentials: ${plan.administrators.map(code).join(', ')}` : ''}`,
    '',
  );
  out.push('**Goal**', '', ...plan.goals.map((g) => `- ${prose(g)}`), '');
  out.push('**Findings resolved**', '');
  for (const f of plan.findings)
    out.push(
      `- \\[${f.severity}\\] ${code(f.ruleId)}${f.credential ? ` (${f.credential})` : ''}: ${prose(f.message)} — ${prose(f.resolution)}`,
    );
  out.push('');
  if (plan.notes.length > 0) out.push('**Before you start**', '', ...plan.notes.map((n) => `- ⚠ ${prose(n)}`), '');
  out.push('**Steps**', '', ...renderSteps(plan.steps, prose), '');
  for (const alt of plan.alternatives) {
    out.push(
      `**Alternative: ${prose(alt.title)}** (${ACTOR_LABEL[alt.actor]}; when: ${prose(alt.when)})`,
      '',
      ...renderSteps(alt.steps, prose),
      '',
    );
  }
  if (plan.verification.length > 0)
    out.push('**Verify**', '', ...plan.verification.map((v) => `- ${v.startsWith('$ ') ? code(v.slice(2)) : prose(v)}`), '');
  if (plan.links.length > 0)
    out.push(
      '**References**',
      '',
      ...plan.links.map((l) => `- [${prose(l.title)}](${l.url.replace(/[()<>\s]/g, encodeURIComponent)})`),
      '',
    );
  return out;
}

/** The account a plan runs in and the check to run first. */
function renderAccess(access: PlanAccess, prose: (text: string) => string): string[] {
  return [
    `**Account** ${prose(access.accountId)}${access.accountName ? ` (${prose(access.accountName)})` : ''}. ${prose(access.how)} Run this first; go on only if it prints OK:`,
    '',
    '```sh',
    commandLine(access.check),
    '```',
    '',
  ];
}

/** For plans rebuilt from an older result, which did not record how to reach the account. */
function defaultAccess(plan: PrincipalPlan): PlanAccess {
  return {
    accountId: plan.accountId,
    accountName: plan.accountName,
    how: `Use credentials for account ${plan.accountId} (set AWS_PROFILE or pass --profile to every command).`,
    check: accountCheck(plan.accountId),
  };
}

function renderSteps(steps: readonly PlanStep[], prose: (text: string) => string): string[] {
  const out: string[] = [];
  for (const step of steps) {
    out.push(`${step.n}. **${ACTOR_LABEL[step.actor]}**: ${prose(step.text)}`);
    if (step.caution) out.push(`   > ⚠ ${prose(step.caution)}`);
    if (step.commands.length > 0) out.push('', '   ```sh', ...step.commands.map((c) => `   ${commandLine(c)}`), '   ```', '');
  }
  return out;
}

/** Renders plans as JSON for tooling: the PlanSet itself, indented, with a trailing newline. */
export function renderPlansJson(plans: PlanSet): string {
  return `${JSON.stringify(plans, null, 2)}\n`;
}
