import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, test } from 'vitest';
import { MEMBER, assume, failure, iam, organizations, sandbox, smallOrg, sts } from './helpers.js';

describe('SigV4 signature verification (as AWS does it)', () => {
  test('requests signed by the SDK pass, for base and assumed-role (session token) keys', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    expect((await sts(box).send(new GetCallerIdentityCommand({}))).Account).toBeTruthy();
    const member = await assume(box, MEMBER);
    expect((await iam(box, member).send(new GetAccountSummaryCommand({}))).SummaryMap).toBeTruthy();
    expect((await organizations(box).send(new ListRootsCommand({}))).Roots).toHaveLength(1);
  });

  test('a request signed with the wrong secret answers SignatureDoesNotMatch 403 (Query) / InvalidSignatureException (JSON)', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const forged = { accessKeyId: box.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    const query = await failure(() => iam(box, forged).send(new GetAccountSummaryCommand({})));
    expect(query.name).toBe('SignatureDoesNotMatch');
    expect(query.$metadata.httpStatusCode).toBe(403);
    const json = await failure(() => organizations(box, forged).send(new ListRootsCommand({})));
    expect(json.name).toBe('InvalidSignatureException');
    expect(box.callLog.map((c) => c.errorCode)).toEqual(['SignatureDoesNotMatch', 'InvalidSignatureException']);
  });

  test("an assumed-role key used with another session's secret is rejected", async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const first = await assume(box, MEMBER);
    const second = await assume(box, MEMBER);
    const mixed = { ...first, secretAccessKey: second.secretAccessKey };
    expect((await failure(() => iam(box, mixed).send(new GetAccountSummaryCommand({})))).name).toBe('SignatureDoesNotMatch');
  });

  test('a malformed Authorization header answers IncompleteSignature', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const response = await fetch(box.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `AWS4-HMAC-SHA256 Credential=${box.credentials.accessKeyId}/20261127/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: 'Action=GetAccountSummary&Version=2010-05-08',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>IncompleteSignature</Code>');
  });

  test('verifySignatures: false accepts any signature (hand-made requests in tests)', async () => {
    const box = await sandbox({ fixture: smallOrg(), verifySignatures: false });
    const forged = { accessKeyId: box.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    expect((await iam(box, forged).send(new GetAccountSummaryCommand({}))).SummaryMap).toBeTruthy();
  });
});
