/** --format text shows every credential type beyond the credential report under its account and principal (issue 22). */
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

/** Each finding line of the text report with the account and principal ARN it is listed under. */
function findingLines(text: string): { account: string; arn: string; rule: string; credential: string; message: string }[] {
  const out = [];
  let account = '';
  let arn = '';
  for (const line of text.split('\n')) {
    const accountLine = /^(\d{12}) {2}/.exec(line);
    if (accountLine) account = accountLine[1]!;
    const principalLine = /^ {2}\S.* {2}(arn:aws:iam::\S+)$/.exec(line);
    if (principalLine) arn = principalLine[1]!;
    const finding = /^ {4}[A-Z]+ +(\S+) +(\S+) {2}(.*)$/.exec(line);
    if (finding) out.push({ account, arn, rule: finding[1]!, credential: finding[2]!, message: finding[3]! });
  }
  return out;
}

describe('credential types in --format text', () => {
  it('lists each planted credential under its account and principal, with its kind and id', async () => {
    const run = await scanCredentialTypes('text');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.txt');
    const lines = findingLines(text);
    for (const planted of PLANTED) {
      const line = lines.find((l) => l.rule === planted.ruleId && l.arn === planted.principalArn);
      expect(line, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(line).toMatchObject({ account: planted.accountId, credential: planted.credential ?? '-' });
      if (planted.id) expect(line?.message).toContain(planted.id);
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
