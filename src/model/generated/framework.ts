/* eslint-disable */
/**
 * Generated from schemas/framework.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

export type Control = {
  /**
   * The framework's control id, e.g. "1.13" or "IAM.3".
   */
  id: string;
  /**
   * The control's title as the framework words it.
   */
  title: string;
  /**
   * Built-in rule id -> the framework's own value of each rule parameter the control pins (empty when it pins none). Parameters in force that are looser than these make the control `deviates`.
   */
  rules?: {
    [k: string]: {
      [k: string]: FrameworkParameter;
    } | null;
  };
  /**
   * Why no credwarden rule evaluates this control yet (it is in credwarden's area).
   */
  notEvaluated?: string;
  /**
   * Why the control is outside credential hygiene (what else checks it).
   */
  outOfScope?: string;
  /**
   * Where the rules' check differs from the control's audit procedure, shown with the control.
   */
  difference?: string;
} & Control1 & {
    /**
     * The framework's control id, e.g. "1.13" or "IAM.3".
     */
    id: string;
    /**
     * The control's title as the framework words it.
     */
    title: string;
    /**
     * Built-in rule id -> the framework's own value of each rule parameter the control pins (empty when it pins none). Parameters in force that are looser than these make the control `deviates`.
     */
    rules?: {
      [k: string]: {
        [k: string]: FrameworkParameter;
      } | null;
    };
    /**
     * Why no credwarden rule evaluates this control yet (it is in credwarden's area).
     */
    notEvaluated?: string;
    /**
     * Why the control is outside credential hygiene (what else checks it).
     */
    outOfScope?: string;
    /**
     * Where the rules' check differs from the control's audit procedure, shown with the control.
     */
    difference?: string;
  } & Control1;
export type Control1 =
  | {
      [k: string]: unknown;
    }
  | {
      [k: string]: unknown;
    }
  | {
      [k: string]: unknown;
    };

/**
 * Every control of one framework's identity section (frameworks/<id>.yaml), each evaluated by built-in rules (with the framework's own parameters), not evaluated yet, or out of scope, with the reason. Rules name the controls they evaluate in their `frameworks` field; a control lists the same rules here. See docs/rules.md.
 */
export interface FrameworkFile {
  /**
   * Framework key, as in a rule's `frameworks` map; the file is named <id>.yaml.
   */
  id: 'cis-aws-3.0' | 'cis-aws-5.0' | 'aws-security-hub' | 'aws-config';
  /**
   * The framework's full name and version.
   */
  title: string;
  /**
   * Short name for tables and messages, e.g. "CIS 3.0".
   */
  label: string;
  /**
   * The part of the framework listed here, e.g. "1 Identity and Access Management".
   */
  section: string;
  /**
   * Where the framework's text is published.
   */
  source: string;
  /**
   * @minItems 1
   */
  controls: [Control, ...Control[]];
}
export interface FrameworkParameter {
  /**
   * The framework's value of the rule parameter.
   */
  value: number | number | boolean | string;
  /**
   * The framework's requirement in a few words, completing "<label> <control> …", e.g. "allows no grace window".
   */
  says: string;
  /**
   * The framework's own words that set the value (cited in docs/rules.md).
   */
  quote: string;
}
