/* eslint-disable */
/**
 * Generated from schemas/rule.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Condition =
  | {
      /**
       * @minItems 1
       */
      all: [Condition, ...Condition[]];
    }
  | {
      /**
       * @minItems 1
       */
      any: [Condition, ...Condition[]];
    }
  | {
      not: Condition;
    }
  | Comparison
  | Quantifier;
export type Operand = (string | number | boolean | null) | ParamRef | (string | number | boolean | null)[];
export type Collection = 'accessKeys' | 'certificates' | 'credentials';
export type ControlIds = string[];

/**
 * One credwarden rule (rules/<id>.yaml). See docs/rules.md.
 */
export interface RuleFile {
  /**
   * kebab-case id; the file is named <id>.yaml.
   */
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /**
   * Principal types the rule evaluates.
   *
   * @minItems 1
   */
  appliesTo: ['root' | 'user', ...('root' | 'user')[]];
  /**
   * What one finding is about. accessKey/certificate: each slot in use; credential: the password and each access key in use; serverCertificate: each server certificate of the account (account.facts.serverCertificates; once per account, on the root user row); serviceCredential: each service-specific credential of the user (facts.serviceCredentials); sshPublicKey: each SSH public key of the user (facts.sshPublicKeys).
   */
  subject:
    | 'principal'
    | 'password'
    | 'accessKey'
    | 'certificate'
    | 'credential'
    | 'serverCertificate'
    | 'serviceCredential'
    | 'sshPublicKey';
  parameters?: {
    [k: string]: Parameter;
  };
  condition: Condition;
  /**
   * Template; {{field.path}} and {{params.name}} are replaced.
   */
  message: string;
  /**
   * Field paths copied into the finding's evidence.
   */
  evidence?: string[];
  /**
   * Fact roots the rule reads that only narrow it: without them the credential report still decides the rule (conservatively), so their absence does not make it not-evaluated. Every other fact root the rule reads must be collected for the rule to be decided in an account.
   */
  optionalFacts?: string[];
  /**
   * For a rule that reads facts (facts.*, account.facts.*): what saved credential reports cannot tell, completing "needs a live scan: …". It is the reason the rule is not evaluated on saved reports (e.g. "the credential report does not say whether root's MFA is a hardware device").
   */
  needsLiveScan?: string;
  remediation: {
    procedure: string;
  };
  frameworks: FrameworkMappings;
  /**
   * An https:// link to the rule's documentation (SARIF helpUri, HTML and Markdown links): no other scheme.
   */
  docs: string;
  tags?: string[];
}
export interface Parameter {
  type: 'integer' | 'number' | 'boolean' | 'string';
  default: number | boolean | string;
  minimum?: number;
  maximum?: number;
  description?: string;
  /**
   * The fact (field path) this parameter is a threshold for, e.g. key.ageDays for a maximum key age. The condition must compare that fact with this parameter (gt, gte, lt or lte). Reports read a rule's threshold for a fact from this declaration (the HTML key-age chart draws its rotation line from the parameter that bounds key.ageDays), never from the parameter's name. Every built-in parameter compared that way declares it.
   */
  bounds?: string;
  /**
   * Which way the parameter loosens the rule (higher: a larger value flags less). Required for a parameter a framework pins (frameworks/*.yaml): a value looser than the framework's makes its control `deviates`.
   */
  looser?: 'higher' | 'lower';
}
export interface Comparison {
  /**
   * Field path, e.g. key.ageDays or facts.recovery.password.rootOnly.
   */
  fact: string;
  eq?: Operand;
  ne?: Operand;
  gt?: Operand;
  gte?: Operand;
  lt?: Operand;
  lte?: Operand;
  in?: Operand;
  exists?: boolean;
}
export interface ParamRef {
  param: string;
}
export interface Quantifier {
  some?: Collection;
  every?: Collection;
  none?: Collection;
  where: Condition;
}
export interface FrameworkMappings {
  'cis-aws-3.0'?: ControlIds;
  'cis-aws-5.0'?: ControlIds;
  'aws-security-hub'?: ControlIds;
  'aws-config'?: ControlIds;
}
