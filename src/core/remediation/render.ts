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
  if (!options.omitTitle) out.push(`${h(0)} Remediation plans`, '', `> ${plans.header}`, '');
  if (plans.accounts.length === 0) out.push('No open findings need a plan.', '');
  for (const account of plans.accounts) out.push(...renderAccount(account, h));
  if (plans.unknownProcedures.length > 0) {
    out.push(`${h(1)} Findings without a procedure`, '');
    for (const u of plans.unknownProcedures) out.push(`- rule \`${u.ruleId}\` names procedure \`${u.procedure}\`, which is not in the catalogue`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function renderAccount(account: AccountPlans, h: (depth: number) => string): string[] {
  const name = account.accountName ? ` (${account.accountName})` : '';
  const out = [`${h(1)} Account ${account.accountId}${name}`, ''];
  for (const plan of account.plans) out.push(...renderPlan(plan, h));
  return out;
}

function renderPlan(plan: PrincipalPlan, h: (depth: number) => string): string[] {
  const who = plan.principal.type === 'root' ? 'Root user' : `IAM user \`${plan.principal.name}\``;
  const out = [`${h(2)} ${who}`, ''];
  out.push(`Who acts: ${plan.actors.map((a) => ACTOR_LABEL[a]).join(', ') || 'nobody (nothing to do)'}${plan.administrators.length > 0 ? ` — administrators who can reset credentials: ${plan.administrators.map((a) => `\`${a}\``).join(', ')}` : ''}`, '');
  out.push('**Goal**', '', ...plan.goals.map((g) => `- ${g}`), '');
  out.push('**Findings resolved**', '');
  for (const f of plan.findings) out.push(`- [${f.severity}] \`${f.ruleId}\`${f.credential ? ` (${f.credential})` : ''}: ${f.message} — ${f.resolution}`);
  out.push('');
  if (plan.notes.length > 0) out.push('**Before you start**', '', ...plan.notes.map((n) => `- ⚠ ${n}`), '');
  out.push('**Steps**', '', ...renderSteps(plan.steps), '');
  for (const alt of plan.alternatives) {
    out.push(`**Alternative: ${alt.title}** (${ACTOR_LABEL[alt.actor]}; when: ${alt.when})`, '', ...renderSteps(alt.steps), '');
  }
  if (plan.verification.length > 0) out.push('**Verify**', '', ...plan.verification.map((v) => `- ${v}`), '');
  if (plan.links.length > 0) out.push('**References**', '', ...plan.links.map((l) => `- [${l.title}](${l.url})`), '');
  return out;
}

function renderSteps(steps: readonly PlanStep[]): string[] {
  const out: string[] = [];
  for (const step of steps) {
    out.push(`${step.n}. **${ACTOR_LABEL[step.actor]}**: ${step.text}`);
    if (step.caution) out.push(`   > ⚠ ${step.caution}`);
    if (step.commands.length > 0) out.push('', '   ```sh', ...step.commands.map((c) => `   ${c}`), '   ```', '');
  }
  return out;
}

/** Renders plans as JSON for tooling: the PlanSet itself, indented, with a trailing newline. */
export function renderPlansJson(plans: PlanSet): string {
  return `${JSON.stringify(plans, null, 2)}\n`;
}
