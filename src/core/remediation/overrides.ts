import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { didYouMean } from '../util/suggest.js';
import { parseYamlSource, type YamlSource } from '../yaml/source.js';
import type { ProcedureOverride } from './catalogue.js';
import { BUILT_IN_PROCEDURES } from './procedures/index.js';

const ACTORS = ['root', 'iam-user', 'administrator', 'management-account'];
const STRING_LISTS = ['prerequisites', 'verification', 'verifyCommands'] as const;
const STRINGS = ['title', 'summary', 'runbook'] as const;
const KNOWN_KEYS = ['id', 'actor', 'appliesTo', 'steps', 'alternatives', 'links', 'extraLinks', ...STRINGS, ...STRING_LISTS];
const STEP_KEYS = ['id', 'actor', 'text', 'commands', 'only', 'for', 'when'];
const BUILT_IN_IDS = new Set(BUILT_IN_PROCEDURES.map((p) => p.id));

interface Checker {
  source: YamlSource;
  diagnostics: Diagnostic[];
}

/**
 * Parses one procedure override file (YAML or JSON text). Pure: the caller reads the file.
 * A file holds one procedure, or several under a top-level `procedures:` list.
 * @throws InputError with every problem of the file at once
 */
export function parseProcedureFile(text: string, file: string): ProcedureOverride[] {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) throw new InputError(source.errors, `invalid procedure file ${file}`);
  const checker: Checker = { source, diagnostics: [] };
  const value = source.value;
  const list = isRecord(value) && Array.isArray(value.procedures) ? value.procedures : [value];
  const prefix = isRecord(value) && Array.isArray(value.procedures) ? '/procedures' : '';
  const overrides = list.map((item, i) => checkProcedure(checker, item, prefix === '' ? '' : `${prefix}/${i}`)).filter((p) => p !== undefined);
  if (checker.diagnostics.length > 0) throw new InputError(checker.diagnostics, `invalid procedure file ${file}`);
  return overrides;
}

function checkProcedure(c: Checker, value: unknown, at: string): ProcedureOverride | undefined {
  if (!isRecord(value)) return void error(c, at, 'a procedure must be a mapping with at least an `id`');
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.includes(key)) error(c, at, `unknown field '${key}'`, didYouMean(key, KNOWN_KEYS), key);
  }
  if (typeof value.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value.id)) {
    return void error(c, `${at}/id`, '`id` must be a kebab-case procedure id');
  }
  for (const key of STRINGS) if (value[key] !== undefined && typeof value[key] !== 'string') error(c, `${at}/${key}`, `\`${key}\` must be a string`);
  for (const key of STRING_LISTS) checkStrings(c, value[key], `${at}/${key}`);
  if (value.actor !== undefined && !ACTORS.includes(value.actor as string)) error(c, `${at}/actor`, `\`actor\` must be one of ${ACTORS.join(', ')}`, didYouMean(String(value.actor), ACTORS));
  if (value.appliesTo !== undefined) checkStrings(c, value.appliesTo, `${at}/appliesTo`, ['root', 'user']);
  if (value.steps !== undefined) checkSteps(c, value.steps, `${at}/steps`);
  for (const key of ['links', 'extraLinks']) if (value[key] !== undefined) checkLinks(c, value[key], `${at}/${key}`);
  if (value.alternatives !== undefined) checkAlternatives(c, value.alternatives, `${at}/alternatives`);
  if (!BUILT_IN_IDS.has(value.id)) {
    // A new procedure has no built-in to inherit from, so it must stand on its own.
    for (const key of ['title', 'actor', 'summary', 'steps']) {
      if (value[key] === undefined) error(c, at, `new procedure '${value.id}' needs \`${key}\` (only overrides of built-in procedures may leave it out)`);
    }
  }
  return value as ProcedureOverride;
}

function checkSteps(c: Checker, steps: unknown, at: string): void {
  if (!Array.isArray(steps) || steps.length === 0) return void error(c, at, '`steps` must be a non-empty list');
  steps.forEach((step, i) => {
    const here = `${at}/${i}`;
    if (!isRecord(step)) return void error(c, here, 'a step must be a mapping with `id` and `text`');
    for (const key of Object.keys(step)) if (!STEP_KEYS.includes(key)) error(c, here, `unknown step field '${key}'`, didYouMean(key, STEP_KEYS), key);
    if (typeof step.id !== 'string' || step.id === '') error(c, `${here}/id`, 'a step needs a string `id`');
    if (typeof step.text !== 'string' || step.text === '') error(c, `${here}/text`, 'a step needs a string `text`');
    if (step.actor !== undefined && !ACTORS.includes(step.actor as string)) error(c, `${here}/actor`, `\`actor\` must be one of ${ACTORS.join(', ')}`);
    checkStrings(c, step.commands, `${here}/commands`);
    checkStrings(c, step.only, `${here}/only`, ['password', 'access_key', 'certificate']);
    if (step.for !== undefined && step.for !== 'root' && step.for !== 'user') error(c, `${here}/for`, "`for` must be 'root' or 'user'");
    if (step.when !== undefined && step.when !== 'self-service' && step.when !== 'administrator') error(c, `${here}/when`, "`when` must be 'self-service' or 'administrator'");
  });
}

function checkAlternatives(c: Checker, alternatives: unknown, at: string): void {
  if (!Array.isArray(alternatives)) return void error(c, at, '`alternatives` must be a list');
  alternatives.forEach((alt, i) => {
    const here = `${at}/${i}`;
    if (!isRecord(alt) || typeof alt.title !== 'string' || typeof alt.when !== 'string' || !ACTORS.includes(alt.actor as string)) {
      return void error(c, here, 'an alternative needs `title`, `when`, `actor` and `steps`');
    }
    checkSteps(c, alt.steps, `${here}/steps`);
  });
}

function checkLinks(c: Checker, links: unknown, at: string): void {
  if (!Array.isArray(links)) return void error(c, at, 'links must be a list of {title, url}');
  links.forEach((link, i) => {
    if (!isRecord(link) || typeof link.title !== 'string' || typeof link.url !== 'string' || !/^https?:\/\//.test(link.url)) {
      error(c, `${at}/${i}`, 'a link needs a `title` and an http(s) `url`');
    }
  });
}

function checkStrings(c: Checker, value: unknown, at: string, allowed?: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void error(c, at, 'must be a list of strings');
  value.forEach((item, i) => {
    if (typeof item !== 'string') error(c, `${at}/${i}`, 'must be a string');
    else if (allowed && !allowed.includes(item)) error(c, `${at}/${i}`, `'${item}' is not one of ${allowed.join(', ')}`, didYouMean(item, allowed));
  });
}

function error(c: Checker, pointer: string, message: string, suggestion?: string, key?: string): void {
  const where = key === undefined ? c.source.locate(pointer) : c.source.locateKey(pointer, key);
  c.diagnostics.push({ severity: 'error', ...where, message, ...(suggestion ? { suggestion } : {}) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
