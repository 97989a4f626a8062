import type { Actor, AccountPlans, PlanSet, PlanStep, PrincipalPlan } from './types.js';

/** Options of the Markdown renderer. */
export interface MarkdownPlanOptions {
  /** Level of the top heading (1 = `#`); a report embedding the plans passes 2 or 3. */
  headingLevel?: number;
  /** Leave out the top heading and header note (when the host document has its own). */
  omitTitle?: boolean;
}

const ACTOR_LABEL: Readonly<Record<Actor, string>> = {
  root: 'root user',
  'iam-user': 'IAM user',
  administrator: 'administrator',
  'management-account': 'management account',
};

/**
 * Renders plans as Markdown for people: per account, per principal, the goals,
 * safety notes, numbered steps with their commands, alternatives, verification
 * and links. Pure; the Markdown report formatter can call it.
 */
export function renderPlansMarkdown(plans: PlanSet, options: MarkdownPlanOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 1, 1), 4);
  const h = (depth: number) => '#'.repeat(Math.min(level + depth, 6));
  const out: string[] = [];
  if (!options.omitTitle) out.push(`${h(0)} Remediation plans`, '', `> ${escapeMarkdown(plans.header)}`, '');
  if (plans.accounts.length === 0) out.push('No open findings need a plan.', '');
  for (const account of plans.accounts) out.push(...renderAccount(account, h));
  if (plans.unknownProcedures.length > 0) {
    out.push(`${h(1)} Findings without a procedure`, '');
    for (const u of plans.unknownProcedures) out.push(`- rule ${code(u.ruleId)} names procedure ${code(u.procedure)}, which is not in the catalogue`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * Prose from reports and rules (names, messages) may hold anything: keep it one line,
 * and escape what would turn into HTML, links or code. Placeholders such as
 * <ACCESS_KEY_ID_1> also need this, or Markdown would swallow them as tags.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`[\]])/g, '\\$1');
}

/** A value shown as inline code: backticks and line breaks cannot be escaped there. */
function code(text: string): string {
  return `\`${text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'")}\``;
}

/** Commands go into fenced blocks: a line break would start a new command. */
function commandLine(command: string): string {
  return command.replace(/[\r\n]+/g, ' ');
}

function renderAccount(account: AccountPlans, h: (depth: number) => string): string[] {
  const name = account.accountName ? ` (${escapeMarkdown(account.accountName)})` : '';
  const out = [`${h(1)} Account ${escapeMarkdown(account.accountId)}${name}`, ''];
  for (const plan of account.plans) out.push(...renderPlan(plan, h));
  return out;
}

function renderPlan(plan: PrincipalPlan, h: (depth: number) => string): string[] {
  const who = plan.principal.type === 'root' ? 'Root user' : `IAM user ${code(plan.principal.name)}`;
  const out = [`${h(2)} ${who}`, ''];
  out.push(`Who acts: ${plan.actors.map((a) => ACTOR_LABEL[a]).join(', ') || 'nobody (nothing to do)'}${plan.administrators.length > 0 ? ` — administrators who can reset credentials: ${plan.administrators.map(code).join(', ')}` : ''}`, '');
  out.push('**Goal**', '', ...plan.goals.map((g) => `- ${escapeMarkdown(g)}`), '');
  out.push('**Findings resolved**', '');
  for (const f of plan.findings) out.push(`- \\[${f.severity}\\] ${code(f.ruleId)}${f.credential ? ` (${f.credential})` : ''}: ${escapeMarkdown(f.message)} — ${escapeMarkdown(f.resolution)}`);
  out.push('');
  if (plan.notes.length > 0) out.push('**Before you start**', '', ...plan.notes.map((n) => `- ⚠ ${escapeMarkdown(n)}`), '');
  out.push('**Steps**', '', ...renderSteps(plan.steps), '');
  for (const alt of plan.alternatives) {
    out.push(`**Alternative: ${escapeMarkdown(alt.title)}** (${ACTOR_LABEL[alt.actor]}; when: ${escapeMarkdown(alt.when)})`, '', ...renderSteps(alt.steps), '');
  }
  if (plan.verification.length > 0) out.push('**Verify**', '', ...plan.verification.map((v) => `- ${escapeMarkdown(v)}`), '');
  if (plan.links.length > 0) out.push('**References**', '', ...plan.links.map((l) => `- [${escapeMarkdown(l.title)}](${l.url.replace(/[()<>\s]/g, encodeURIComponent)})`), '');
  return out;
}

function renderSteps(steps: readonly PlanStep[]): string[] {
  const out: string[] = [];
  for (const step of steps) {
    out.push(`${step.n}. **${ACTOR_LABEL[step.actor]}**: ${escapeMarkdown(step.text)}`);
    if (step.caution) out.push(`   > ⚠ ${escapeMarkdown(step.caution)}`);
    if (step.commands.length > 0) out.push('', '   ```sh', ...step.commands.map((c) => `   ${commandLine(c)}`), '   ```', '');
  }
  return out;
}

/** Renders plans as JSON for tooling: the PlanSet itself, indented, with a trailing newline. */
export function renderPlansJson(plans: PlanSet): string {
  return `${JSON.stringify(plans, null, 2)}\n`;
}
