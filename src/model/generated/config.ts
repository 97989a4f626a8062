/* eslint-disable */
/**
 * Generated from schemas/config.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

/**
 * credwarden.config.yaml: pack choice, extra rule folders and per-rule overrides.
 */
export interface ConfigFile {
  pack?: string;
  /**
   * Folders of extra rule files, relative to the config file.
   */
  rulesDirs?: string[];
  failOn?: 'critical' | 'high' | 'medium' | 'low' | 'info' | 'none';
  /**
   * Waivers file, relative to the config file.
   */
  waivers?: string;
  /**
   * Rule id -> overrides, applied on top of the pack.
   */
  rules?: {
    [k: string]: {
      enabled?: boolean;
      severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
      parameters?: {
        [k: string]: number | boolean | string;
      };
    } | null;
  };
}
