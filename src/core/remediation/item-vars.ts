/**
 * Plan values for a credential the credential report leaves out: a finding about one names it
 * `<kind>:<id>` (service_credential:ACCA…, ssh_public_key:APKA…, server_certificate:NAME), and
 * its evidence holds the item's other fields.
 */

/** Template names for the item of one finding, with what they hold. */
export const ITEM_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  serviceCredentialId: 'ServiceSpecificCredentialId of the credential',
  serviceName: 'service of the credential, e.g. bedrock.amazonaws.com',
  sshKeyId: 'SSHPublicKeyId of the SSH public key',
  serverCertificateName: 'ServerCertificateName of the server certificate',
  serverCertificateId: 'ServerCertificateId of the server certificate',
  serverCertificateArn: 'ARN of the server certificate',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function defined(vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The values of ITEM_TEMPLATE_NAMES for a finding's credential and evidence; {} for other credentials. */
export function itemVars(credential: string | null, evidence: Readonly<Record<string, unknown>> = {}): Record<string, string> {
  const colon = credential?.indexOf(':') ?? -1;
  if (credential === null || colon < 0) return {};
  const kind = credential.slice(0, colon);
  const id = credential.slice(colon + 1);
  if (kind === 'service_credential') return defined({ serviceCredentialId: id, serviceName: text(evidence['serviceCredential.service']) });
  if (kind === 'ssh_public_key') return { sshKeyId: id };
  if (kind === 'server_certificate')
    return defined({
      serverCertificateName: id,
      serverCertificateId: text(evidence['serverCertificate.id']),
      serverCertificateArn: text(evidence['serverCertificate.arn']),
    });
  return {};
}
