/** Reads and checks a fixture file (JSON or YAML), reporting every problem with its line. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseYamlSource } from '../core/yaml/source.js';
import { didYouMean } from '../core/util/suggest.js';
import { InputError } from '../model/index.js';
import type { FixtureAccount, FixtureOu, OrgFixture } from './fixture.js';

const ACCOUNT_ID = /^\d{12}$/;
const STATUSES = new Set(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']);
const STATES = new Set(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION']);

/** Known keys per object kind, so that a typo ("fault" for "faults") is reported, not ignored. */
const KNOWN_KEYS = {
  fixture: [
    '$comment',
    '$schema',
    'managementAccountId',
    'organizationId',
    'rootId',
    'partition',
    'managementEmail',
    'callerUserName',
    'callerRoleName',
    'delegatedAdministrators',
    'features',
    'featureSet',
    'iamTrustedAccess',
    'serviceControlPolicies',
    'organizationalUnits',
    'accounts',
    'policies',
    'baseDir',
    'faults',
    'latencyMs',
  ],
  account: ['$comment', 'id', 'name', 'email', 'status', 'state', 'ou', 'joined', 'roles', 'report', 'context', 'faults', 'securityHub'],
  report: ['csv', 'file', 'generatedUsers', 'state', 'ageHours', 'generatedTime'],
  context: [
    'summary',
    'rootMfa',
    'virtualMfaDevices',
    'passwordPolicy',
    'authorizationDetails',
    'accessKeys',
    'serverCertificates',
    'serviceCredentials',
    'sshPublicKeys',
    'serviceLastAccessed',
  ],
  orgFaults: [
    'throttleProbability',
    'seed',
    'throttleOperations',
    'buckets',
    'serverErrorProbability',
    'serverErrorOperations',
    'denyAssumeRole',
    'reportPolls',
    'emptyPagesBefore',
    'emptyPageAfterEach',
  ],
  faults: ['denyAssumeRole', 'reportPolls', 'reportNeverCompletes', 'malformedReport', 'limitExceeded', 'denyOperations', 'serverErrors'],
};

/**
 * Loads a sandbox fixture. Relative report and authorization-details paths are resolved
 * against the fixture's directory. Throws InputError listing every problem.
 */
export function loadFixture(path: string): OrgFixture {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError([{ severity: 'error', file: path, message: `cannot read fixture: ${(error as Error).message}` }]);
  }
  const source = parseYamlSource(text, path);
  if (source.errors.length > 0) throw new InputError(source.errors);
  const fixture = source.value as OrgFixture;
  const baseDir = dirname(file);
  const problems = checkFixture(fixture, baseDir);
  if (problems.length > 0) {
    throw new InputError(
      problems.map((p) => ({
        severity: 'error',
        ...(p.key === undefined ? source.locate(p.pointer) : source.locateKey(p.pointer, p.key)),
        pointer: p.key === undefined ? p.pointer : `${p.pointer}/${p.key}`,
        message: p.message,
        ...(p.suggestion === undefined ? {} : { suggestion: p.suggestion }),
      })),
    );
  }
  return { ...fixture, baseDir: fixture.baseDir === undefined ? baseDir : resolve(baseDir, fixture.baseDir) };
}

/** A problem found by {@link checkFixture}. */
export interface FixtureProblem {
  pointer: string;
  /** For unknown properties: the offending key inside the object at `pointer`. */
  key?: string;
  message: string;
  suggestion?: string;
}

function checkKeys(value: unknown, pointer: string, known: readonly string[], problems: FixtureProblem[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const close = didYouMean(key, known);
    problems.push({ pointer, key, message: `unknown property '${key}'`, ...(close ? { suggestion: close } : {}) });
  }
}

/** Checks a fixture object (from a file or built in code); returns every problem found. */
export function checkFixture(fixture: OrgFixture, baseDir = process.cwd()): FixtureProblem[] {
  const problems: FixtureProblem[] = [];
  const add = (pointer: string, message: string): void => void problems.push({ pointer, message });
  if (fixture === null || typeof fixture !== 'object') return [{ pointer: '', message: 'fixture must be an object' }];
  checkKeys(fixture, '', KNOWN_KEYS.fixture, problems);
  checkKeys(fixture.faults, '/faults', KNOWN_KEYS.orgFaults, problems);
  if (!ACCOUNT_ID.test(String(fixture.managementAccountId ?? ''))) add('/managementAccountId', 'must be a 12-digit account id');
  if (!/^o-[a-z0-9]{10,32}$/.test(String(fixture.organizationId ?? '')))
    add('/organizationId', 'must look like o-exampleorgid (o- and 10 to 32 lowercase letters or digits)');
  if (fixture.featureSet !== undefined && fixture.featureSet !== 'ALL' && fixture.featureSet !== 'CONSOLIDATED_BILLING')
    add('/featureSet', 'must be ALL or CONSOLIDATED_BILLING');
  if (fixture.iamTrustedAccess !== undefined && typeof fixture.iamTrustedAccess !== 'boolean')
    add('/iamTrustedAccess', 'must be true or false');
  if (fixture.serviceControlPolicies !== undefined && typeof fixture.serviceControlPolicies !== 'boolean')
    add('/serviceControlPolicies', 'must be true or false');
  if (!Array.isArray(fixture.accounts)) {
    add('/accounts', 'must be a list of accounts');
    return problems;
  }
  const ouPaths = new Set<string>();
  collectOuRefs(fixture.organizationalUnits ?? [], '', ouPaths);
  const seen = new Set<string>();
  fixture.accounts.forEach((account, i) => {
    const at = `/accounts/${i}`;
    checkKeys(account, at, KNOWN_KEYS.account, problems);
    checkKeys(account?.report, `${at}/report`, KNOWN_KEYS.report, problems);
    checkKeys(account?.context, `${at}/context`, KNOWN_KEYS.context, problems);
    checkKeys(account?.faults, `${at}/faults`, KNOWN_KEYS.faults, problems);
    checkAccount(account, at, { seen, ouPaths, baseDir: fixture.baseDir ?? baseDir, add });
  });
  if (!seen.has(String(fixture.managementAccountId))) add('/managementAccountId', 'the management account must also be listed in accounts');
  return problems;
}

function collectOuRefs(ous: FixtureOu[], prefix: string, refs: Set<string>): void {
  for (const ou of ous) {
    const path = prefix === '' ? ou.name : `${prefix}/${ou.name}`;
    refs.add(path);
    if (ou.id !== undefined) refs.add(ou.id);
    collectOuRefs(ou.children ?? [], path, refs);
  }
}

interface CheckState {
  seen: Set<string>;
  ouPaths: Set<string>;
  baseDir: string;
  add: (pointer: string, message: string) => void;
}

function checkAccount(account: FixtureAccount, at: string, state: CheckState): void {
  const { add } = state;
  const id = String(account?.id ?? '');
  if (!ACCOUNT_ID.test(id)) add(`${at}/id`, 'must be a 12-digit account id (quote it in YAML)');
  else if (state.seen.has(id)) add(`${at}/id`, `duplicate account id ${id}`);
  state.seen.add(id);
  if (typeof account?.name !== 'string' || account.name === '') add(`${at}/name`, 'must be a non-empty string');
  if (account?.status !== undefined && !STATUSES.has(account.status)) add(`${at}/status`, `must be one of ${[...STATUSES].join(', ')}`);
  if (account?.state !== undefined && !STATES.has(account.state)) add(`${at}/state`, `must be one of ${[...STATES].join(', ')}`);
  if (account?.ou !== undefined && !state.ouPaths.has(account.ou.replace(/^Root\//, '')) && account.ou !== 'Root') {
    add(`${at}/ou`, `unknown OU '${account.ou}'`);
  }
  if (account?.joined !== undefined && Number.isNaN(Date.parse(account.joined))) add(`${at}/joined`, 'must be an ISO 8601 time');
  const report = account?.report;
  if (report?.generatedTime !== undefined && Number.isNaN(Date.parse(report.generatedTime)))
    add(`${at}/report/generatedTime`, 'must be an ISO 8601 time');
  if (report?.state !== undefined && !['present', 'absent', 'expired'].includes(report.state))
    add(`${at}/report/state`, 'must be one of present, absent, expired');
  if (report?.file !== undefined) {
    const full = isAbsolute(report.file) ? report.file : resolve(state.baseDir, report.file);
    if (!existsSync(full)) add(`${at}/report/file`, `report file not found: ${full}`);
  }
  const sources = [report?.csv, report?.file, report?.generatedUsers].filter((x) => x !== undefined).length;
  if (sources > 1) add(`${at}/report`, 'give only one of csv, file, generatedUsers');
}
