/**
 * The AWS SDK settings of a live scan, decided the way the AWS CLI and SDKs decide them: a value
 * given explicitly (a command-line flag) wins, then the environment, then the SDK's own chain
 * (profile files) or credwarden's default. The CLI declares the flags; this module is the one
 * place that settles each value (see docs/architecture.md, "Settings").
 */
import type { Diagnostic } from '../../model/index.js';
import { checkDuration } from '../../core/util/duration.js';
import type { AwsConfig } from './clients.js';

/** Values given explicitly, each with the name of the flag it came from (named in problems). */
export interface ExplicitAwsSettings {
  endpointUrl?: { value: string; flag: string };
  region?: string;
  profile?: string;
  requestTimeout?: { value: string; flag: string };
}

/** Default deadline of one AWS request (one attempt); the SDK retries it like other transient errors. */
export const DEFAULT_REQUEST_TIMEOUT = '30s';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Resolves the SDK configuration:
 * - endpoints: the explicit endpoint, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL (both
 *   ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true; a profile's `endpoint_url` applies
 *   through the SDK);
 * - region: explicit, else AWS_REGION, else AWS_DEFAULT_REGION (else the profile's, else us-east-1:
 *   see clients.ts); profile: explicit, else AWS_PROFILE;
 * - attempts per call: AWS_MAX_ATTEMPTS (the SDKs' standard variable), else the collector's default;
 * - request timeout: explicit, else CREDWARDEN_REQUEST_TIMEOUT, else {@link DEFAULT_REQUEST_TIMEOUT}.
 * @returns the configuration and every problem, each naming the flag or variable it came from
 */
export function resolveAwsConfig(explicit: ExplicitAwsSettings, env: Env): { config: AwsConfig; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const problem = (source: string, message: string, suggestion?: string) =>
    problems.push({ severity: 'error', file: source, message, ...(suggestion ? { suggestion } : {}) });
  const timeout =
    explicit.requestTimeout ??
    (env.CREDWARDEN_REQUEST_TIMEOUT?.trim()
      ? { value: env.CREDWARDEN_REQUEST_TIMEOUT.trim(), flag: 'CREDWARDEN_REQUEST_TIMEOUT' }
      : undefined);
  const checked = checkDuration(timeout?.value ?? DEFAULT_REQUEST_TIMEOUT, 50, 600_000);
  if (checked.problem && timeout) problem(timeout.flag, checked.problem.message, checked.problem.suggestion);
  const endpoints = resolveEndpoints(explicit.endpointUrl, env, problem);
  const region = explicit.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const profile = explicit.profile ?? env.AWS_PROFILE;
  const attemptsText = env.AWS_MAX_ATTEMPTS?.trim();
  const maxAttempts = attemptsText ? Number(attemptsText) : undefined;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100)) {
    problem('AWS_MAX_ATTEMPTS', `'${attemptsText}' is not a whole number from 1 to 100`);
  }
  return {
    config: {
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
      endpoints,
      ...(maxAttempts !== undefined && Number.isInteger(maxAttempts) ? { maxAttempts } : {}),
      requestTimeoutMs: checked.ms,
    },
    problems,
  };
}

function resolveEndpoints(
  explicit: ExplicitAwsSettings['endpointUrl'],
  env: Env,
  problem: (source: string, message: string) => void,
): NonNullable<AwsConfig['endpoints']> {
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const fromEnv = (service: string): [string, string] | undefined => {
    if (ignoreEnv) return undefined;
    for (const name of [`AWS_ENDPOINT_URL_${service}`, 'AWS_ENDPOINT_URL']) {
      const value = env[name]?.trim();
      if (value) return [name, value];
    }
    return undefined;
  };
  const endpoint = (service: string): [string, string] | undefined =>
    explicit !== undefined ? [explicit.flag, explicit.value] : fromEnv(service);
  const sources = { iam: endpoint('IAM'), sts: endpoint('STS'), organizations: endpoint('ORGANIZATIONS') };
  const reported = new Set<string>();
  for (const [source, url] of Object.values(sources).filter((v) => v !== undefined)) {
    if (!isHttpUrl(url) && !reported.has(source)) {
      reported.add(source);
      problem(source, `'${url}' is not an http(s) URL`);
    }
  }
  return Object.fromEntries(Object.entries(sources).flatMap(([service, v]) => (v === undefined ? [] : [[service, v[1]]])));
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
