/**
 * An account handed over with its report unparsed (src/collectors/aws/fetched.ts): the glance
 * at the root's row that lets the collector hand it over agrees with the parser, and the event
 * made where the account is processed is the one the collector made itself (the collector side is
 * compared end to end in test/cli/live-thread.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../src/core/report/parse.js';
import { finishFetched, leadingRootMfa, type FetchedAccount } from '../../../src/collectors/aws/fetched.js';
import { generateUsersCsv } from '../../../src/sandbox/index.js';
import { realReportsDir } from '../../helpers/reports.js';

const ID = '111111111111';
const NOW = Date.parse('2026-11-27T00:00:00Z');

/** The parser's answer: the first root row's MFA, or undefined without a root row or for a report it refuses. */
function parsedRootMfa(csv: string): boolean | undefined {
  try {
    return parseCredentialReport(csv, 'r.csv').principals.find((p) => p.type === 'root')?.mfaActive;
  } catch {
    return undefined;
  }
}

const generated = Array.from({ length: 40 }, (_, seed) => generateUsersCsv({ accountId: ID, users: 3, seed, generatedAt: NOW }));

describe('leadingRootMfa', () => {
  it('tells the root MFA of reports in AWS shape, as the parser reads it (with and without MFA)', () => {
    const answers = generated.map(leadingRootMfa);
    expect(answers).toEqual(generated.map(parsedRootMfa));
    expect(new Set(answers)).toEqual(new Set([true, false]));
  });

  it('agrees with the parser, or does not tell, on real reports', () => {
    const files = readdirSync(realReportsDir).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const csv = readFileSync(join(realReportsDir, file), 'utf8');
      const glance = leadingRootMfa(csv);
      if (glance !== undefined) expect(glance, file).toBe(parsedRootMfa(csv));
    }
  });

  const withMfa = generated.find((csv) => leadingRootMfa(csv) === true) ?? '';
  const [header = '', root = '', ...users] = withMfa.split('\n');
  it.each([
    ['a byte-order mark', `\ufeff${withMfa}`],
    ['CRLF line ends', withMfa.replace(/\n/g, '\r\n')],
    ['a quoted root row', [header, root.replace('<root_account>', '"<root_account>"'), ...users].join('\n')],
    ['a column AWS does not write', withMfa.replace(/\n/g, ',x\n').replace(',x\n', ',extra\n')],
    ['upper-case TRUE', [header, root.replace(',true,', ',TRUE,'), ...users].join('\n')],
    ['a user row first', [header, ...users.slice(0, 1), root, ...users.slice(1)].join('\n')],
    ['no root row', [header, ...users].join('\n')],
    ['a short root row', [header, root.split(',').slice(0, 21).join(','), ...users].join('\n')],
  ])('does not tell for %s (the parser decides)', (_label, csv) => {
    expect(leadingRootMfa(csv)).toBeUndefined();
  });
});

function fetchedOf(csv: string, over: Partial<FetchedAccount> = {}): FetchedAccount {
  return {
    base: { id: ID, name: 'one' },
    report: { csv, generatedTime: '2026-11-27T00:00:00Z' },
    fetchedAtMs: NOW,
    callerPartition: 'aws',
    strictNames: false,
    context: {
      mode: 'auto',
      plan: { summary: false, mfaDevices: false, passwordPolicy: false },
      root: { rootCredentialsManagement: 'unknown', rootSessions: 'unknown' },
      organizationUnknown: 'ListOrganizationsFeatures: denied',
    },
    ...over,
  };
}

describe('finishFetched', () => {
  it('makes the scanned account: principals, facts of the report and the organisation, availability', () => {
    const csv = generated.find((c) => leadingRootMfa(c) === false) ?? '';
    const event = finishFetched(fetchedOf(csv), { AssumeRole: 1, GetCredentialReport: 1 });
    if (event.type !== 'scanned') throw new Error(`not scanned: ${JSON.stringify(event)}`);
    expect(event.calls).toEqual({ AssumeRole: 1, GetCredentialReport: 1 });
    expect(event.account.principals).toEqual(parseCredentialReport(csv, `credential report of ${ID}`).principals);
    expect(event.account).toMatchObject({
      id: ID,
      name: 'one',
      partition: 'aws',
      source: 'aws',
      facts: { rootMfa: 'none', accountSummary: 'unknown', rootCredentialsManagement: 'unknown', rootSessions: 'unknown' },
      factsCollected: ['rootCredentialsPresent', 'rootMfa', 'rootPasswordPresent'],
      factsUnavailable: {
        rootCredentialsManagement: 'ListOrganizationsFeatures: denied',
        rootSessions: 'ListOrganizationsFeatures: denied',
      },
    });
  });

  it('fails the account of a malformed report with the parser first problem, and of another account', () => {
    const malformed = finishFetched(fetchedOf('user,arn\n"broken'), {});
    expect(malformed.type === 'failed' && malformed.outcome.reason).toMatch(/^malformed credential report: line \d+: /);
    const foreign = finishFetched(fetchedOf(generateUsersCsv({ accountId: '999999999999', users: 1, seed: 1, generatedAt: NOW })), {});
    expect(foreign.type === 'failed' && foreign.outcome.reason).toBe(`the credential report belongs to account 999999999999, not ${ID}`);
  });
});
