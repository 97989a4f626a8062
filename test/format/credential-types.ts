/**
 * Shared by test/format/credential-types.<format>.test.ts (issue 22): one sandbox organisation
 * that holds every credential type the credential report leaves out, scanned live with the
 * complete pack at a fixed as-of time, and the findings each report must show for them.
 *
 * The organisation is the demo one (examples/sandbox/demo-org.json) with, in payments-prod, an
 * inactive CodeCommit credential that must not be reported, and secret-looking values planted in
 * fields AWS's list operations never return (a service password, an API key secret, an SSH key
 * body, a certificate's private key): no report may carry them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_FIXTURE_PATH, loadFixture } from '../../src/sandbox/index.js';
import { cli, tempDir, type CliRun } from '../helpers/cli.js';

/** Values planted where a careless collector or formatter could pick them up. */
export const PLANTED_SECRETS = [
  'PlantedServicePasswordDoNotEcho0000000000=',
  'ABSKPlantedBedrockSecretDoNotEcho000000000',
  'AAAAB3NzaC1yc2EPlantedSshKeyBodyDoNotEcho',
  'MIIEPlantedPrivateKeyDoNotEcho0000000000',
] as const;

/** The as-of time every test scans at, so ages (and so findings) do not move with the clock. */
export const AS_OF = '2026-12-01';

/** An inactive credential in the organisation: no rule may report it. */
export const INACTIVE_CREDENTIAL_ID = 'ACCA222222222222INACT';

/** What a report must say about one finding of a credential type the credential report leaves out. */
export interface PlantedFinding {
  ruleId: string;
  accountId: string;
  principalName: string;
  principalArn: string;
  /** The credential kind the finding names: its `credential` prefix, or the account's password policy. */
  kind: 'service_credential' | 'ssh_public_key' | 'server_certificate' | 'password_policy';
  /** The credential's own id (service credential id, SSH key id, certificate name); null for the policy. */
  id: string | null;
  /** The finding's `credential` field. */
  credential: string | null;
  procedure: string;
  /** Framework ids the finding must carry (the control matrix lists them too). */
  frameworks?: Record<string, string[]>;
}

const CAROL = 'arn:aws:iam::222222222222:user/carol';
const DEPLOY_BOT = 'arn:aws:iam::222222222222:user/ci/deploy-bot';
const LEGACY = 'arn:aws:iam::222222222222:user/legacy-reporting';
const ROOT_PROD = 'arn:aws:iam::222222222222:root';
const ROOT_DEV = 'arn:aws:iam::333333333333:root';

function item(
  ruleId: string,
  principalArn: string,
  kind: PlantedFinding['kind'],
  id: string | null,
  procedure: string,
  frameworks?: Record<string, string[]>,
): PlantedFinding {
  const principalName = principalArn.endsWith(':root') ? '<root_account>' : principalArn.slice(principalArn.lastIndexOf('/') + 1);
  return {
    ruleId,
    accountId: principalArn.split(':')[4]!,
    principalName,
    principalArn,
    kind,
    id,
    credential: id === null ? null : `${kind}:${id}`,
    procedure,
    ...(frameworks ? { frameworks } : {}),
  };
}

const POLICY_RULES = {
  'password-policy-min-length': { 'cis-aws-3.0': ['1.8'], 'cis-aws-5.0': ['1.7'], 'aws-security-hub': ['IAM.15'] },
  'password-policy-reuse-prevention': { 'cis-aws-3.0': ['1.9'], 'cis-aws-5.0': ['1.8'], 'aws-security-hub': ['IAM.16'] },
  'password-policy-weak': { 'aws-security-hub': ['IAM.7'] },
};

/** Every finding of the new credential types the organisation must produce, and nothing else of them. */
export const PLANTED: readonly PlantedFinding[] = [
  item('bedrock-long-term-api-key', CAROL, 'service_credential', 'ACCA222222222222BEDRK', 'retire-service-credential'),
  item('api-key-without-expiry', CAROL, 'service_credential', 'ACCA222222222222BEDRK', 'retire-service-credential'),
  item('api-key-without-expiry', DEPLOY_BOT, 'service_credential', 'ACCA222222222222LOGSK', 'retire-service-credential'),
  item('service-credential-not-rotated', DEPLOY_BOT, 'service_credential', 'ACCA222222222222GITCC', 'rotate-service-credential'),
  item('service-credential-of-inactive-user', LEGACY, 'service_credential', 'ACCA222222222222KEYSP', 'retire-service-credential'),
  item('ssh-public-key-not-rotated', DEPLOY_BOT, 'ssh_public_key', 'APKA222222222222DEPLY', 'rotate-ssh-public-key'),
  item('ssh-public-key-of-inactive-user', LEGACY, 'ssh_public_key', 'APKA222222222222LEGCY', 'remove-ssh-public-key'),
  item('expired-server-certificate', ROOT_PROD, 'server_certificate', 'payments-legacy-2024', 'delete-expired-server-certificate', {
    'cis-aws-3.0': ['1.19'],
    'cis-aws-5.0': ['1.18'],
  }),
  ...Object.entries(POLICY_RULES).map(([ruleId, frameworks]) =>
    item(ruleId, ROOT_PROD, 'password_policy', null, 'set-account-password-policy', frameworks),
  ),
  item('password-policy-missing', ROOT_DEV, 'password_policy', null, 'set-account-password-policy', {
    'cis-aws-3.0': ['1.8', '1.9'],
    'cis-aws-5.0': ['1.7', '1.8'],
    'aws-security-hub': ['IAM.7', 'IAM.15', 'IAM.16'],
  }),
];

/** Rule ids of the new credential types (each has at least one planted finding). */
export const NEW_RULES: readonly string[] = [...new Set(PLANTED.map((p) => p.ruleId))].sort();

/** The demo organisation with the inactive credential and the planted secrets, written to a file. */
export function credentialTypesFixture(dir: string): string {
  const demo = loadFixture(DEMO_FIXTURE_PATH);
  const [password, apiSecret, sshBody, privateKey] = PLANTED_SECRETS;
  const accounts = demo.accounts.map((account) => {
    const context = account.context;
    if (account.id !== '222222222222' || !context) return account;
    return {
      ...account,
      context: {
        ...context,
        serviceCredentials: [
          ...(context.serviceCredentials ?? []).map((c) => ({ ...c, ServicePassword: password, ServiceCredentialSecret: apiSecret })),
          {
            UserName: 'carol',
            ServiceName: 'codecommit.amazonaws.com',
            ServiceSpecificCredentialId: INACTIVE_CREDENTIAL_ID,
            Status: 'Inactive',
            CreateDate: '2020-01-01T00:00:00Z',
            ServiceUserName: 'carol-at-222222222222',
            ServicePassword: password,
          },
        ],
        sshPublicKeys: Object.fromEntries(
          Object.entries(context.sshPublicKeys ?? {}).map(([user, keys]) => [user, keys.map((k) => ({ ...k, SSHPublicKeyBody: sshBody }))]),
        ),
        serverCertificates: (context.serverCertificates ?? []).map((c) => ({ ...c, PrivateKey: privateKey, CertificateChain: privateKey })),
      },
    };
  });
  const path = join(dir, 'credential-types-org.json');
  writeFileSync(path, JSON.stringify({ ...demo, accounts }, null, 2));
  return path;
}

/** One live scan of the organisation with the complete pack, in `format`, into a fresh folder. */
export async function scanCredentialTypes(
  format: string,
  extra: string[] = [],
): Promise<CliRun & { dir: string; file: (name: string) => string }> {
  const dir = tempDir();
  const fixture = credentialTypesFixture(dir);
  const out = join(dir, 'reports');
  const run = await cli([
    'scan',
    '--demo',
    fixture,
    '--pack',
    'complete',
    '--as-of',
    AS_OF,
    '--format',
    format,
    '--output-dir',
    out,
    '--quiet',
    ...extra,
  ]);
  return { ...run, dir: out, file: (name) => readFileSync(join(out, name), 'utf8') };
}

/** The planted secrets found in `text` (none, for every report). */
export function secretsIn(text: string): string[] {
  return PLANTED_SECRETS.filter((secret) => text.includes(secret));
}
