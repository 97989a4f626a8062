import {
  parsePolicyDocument,
  PolicyParseError,
  type NamedPolicy,
  type PolicyDocument,
  type PolicySet,
  type ScpLevel,
} from '../policy/index.js';
import type { AuthorizationDetails, InlinePolicy, PolicyText, RoleDetail, ScpLevelDetail, UserDetail } from './types.js';

/** A policy set plus what could not be read into it. */
export interface BuiltPolicySet {
  set: PolicySet;
  /** Managed policies referenced but absent, and documents that did not parse. */
  problems: string[];
}

/** Parses and indexes an account's policies once, then builds each principal's policy set. */
export class PolicyIndex {
  private readonly managed = new Map<string, { name: string; document: PolicyText }>();
  private readonly groups = new Map<string, AuthorizationDetails['groups'][number]>();
  private readonly parsed = new WeakMap<object, PolicyDocument>();
  private readonly parsedText = new Map<string, PolicyDocument>();

  constructor(details: AuthorizationDetails) {
    for (const p of details.policies) this.managed.set(p.arn, p);
    for (const g of details.groups) this.groups.set(g.name, g);
  }

  /** Parses a document, caching by identity (objects) or text; throws PolicyParseError. */
  parse(document: PolicyText): PolicyDocument {
    if (typeof document === 'string') {
      let doc = this.parsedText.get(document);
      if (!doc) this.parsedText.set(document, (doc = parsePolicyDocument(document)));
      return doc;
    }
    let doc = this.parsed.get(document);
    if (!doc) this.parsed.set(document, (doc = parsePolicyDocument(document)));
    return doc;
  }

  private named(name: string, document: PolicyText, problems: string[], extra: Partial<NamedPolicy>): NamedPolicy | undefined {
    try {
      return { name, document: this.parse(document), ...extra };
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      problems.push(`policy ${extra.arn ?? name} cannot be read: ${error.message}`);
      return undefined;
    }
  }

  private inline(list: readonly InlinePolicy[], via: string, problems: string[]): NamedPolicy[] {
    return list.flatMap((p) => this.named(p.name, p.document, problems, { attachedVia: via }) ?? []);
  }

  private attached(arns: readonly string[], via: string, problems: string[]): NamedPolicy[] {
    const out: NamedPolicy[] = [];
    for (const arn of arns) {
      const policy = this.managed.get(arn);
      if (!policy) {
        problems.push(`managed policy ${arn} (attached to ${via}) is missing from the authorization details`);
        continue;
      }
      const named = this.named(policy.name, policy.document, problems, { arn, attachedVia: via });
      if (named) out.push(named);
    }
    return out;
  }

  private boundary(arn: string | undefined, via: string, problems: string[]): NamedPolicy | undefined {
    if (arn === undefined) return undefined;
    const [policy] = this.attached([arn], `${via} (permissions boundary)`, problems);
    // An unreadable boundary must not silently widen permissions: allow nothing.
    return policy ?? { name: 'unreadable-boundary', arn, document: { statements: [] } };
  }

  /** User inline + attached managed policies, plus each group's inline + attached, plus the boundary. */
  forUser(user: UserDetail, scps: readonly ScpLevel[] | undefined): BuiltPolicySet {
    const problems: string[] = [];
    const via = `user/${user.name}`;
    const identity = [...this.inline(user.inlinePolicies, via, problems), ...this.attached(user.attachedPolicies, via, problems)];
    for (const groupName of user.groups) {
      const group = this.groups.get(groupName);
      if (!group) {
        problems.push(`group ${groupName} of ${via} is missing from the authorization details`);
        continue;
      }
      const gvia = `group/${group.name}`;
      identity.push(...this.inline(group.inlinePolicies, gvia, problems), ...this.attached(group.attachedPolicies, gvia, problems));
    }
    const boundary = this.boundary(user.permissionsBoundary, via, problems);
    return { set: { identity, ...(boundary ? { boundary } : {}), ...(scps ? { scps } : {}) }, problems };
  }

  /** Role inline + attached managed policies, plus the boundary. */
  forRole(role: RoleDetail, scps: readonly ScpLevel[] | undefined): BuiltPolicySet {
    const problems: string[] = [];
    const via = `role/${role.name}`;
    const identity = [...this.inline(role.inlinePolicies, via, problems), ...this.attached(role.attachedPolicies, via, problems)];
    const boundary = this.boundary(role.permissionsBoundary, via, problems);
    return { set: { identity, ...(boundary ? { boundary } : {}), ...(scps ? { scps } : {}) }, problems };
  }

  /** Parses the SCP chain; an unreadable SCP makes the whole chain unknown. */
  scpChain(levels: readonly ScpLevelDetail[]): { levels: ScpLevel[] } | { problem: string } {
    const problems: string[] = [];
    const out = levels.map((level) => ({
      target: level.target,
      policies: level.policies.flatMap((p) => this.named(p.name, p.document, problems, p.arn ? { arn: p.arn } : {}) ?? []),
    }));
    return problems.length > 0 ? { problem: problems.join('; ') } : { levels: out };
  }
}
