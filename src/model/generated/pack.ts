/* eslint-disable */
/**
 * Generated from schemas/pack.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

export type RuleSettings = {
  enabled?: boolean;
  severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  parameters?: {
    [k: string]: number | boolean | string;
  };
} | null;

/**
 * A rule pack: which rules run, with which parameter presets and severities.
 */
export interface PackFile {
  id: string;
  description: string;
  framework?: 'cis-aws-3.0' | 'cis-aws-5.0' | 'aws-security-hub' | 'aws-config';
  /**
   * Rule id -> settings. Only listed rules run.
   */
  rules: {
    [k: string]: RuleSettings;
  };
}
