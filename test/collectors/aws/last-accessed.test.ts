/**
 * CodeCommit access from IAM's service last accessed data (issue 22): the job is polled until
 * COMPLETED, every page is read, a FAILED job or a deadline is an error, and readCredentials asks
 * only for users holding an active SSH key, leaving the fact unavailable (never "unused") on failure.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { codeCommitAccess, type JobPolling } from '../../../src/collectors/aws/last-accessed.js';
import { readCredentials } from '../../../src/collectors/aws/credentials.js';
import type { Principal } from '../../../src/model/index.js';

interface Sent {
  operation: string;
  input: Record<string, unknown>;
}

/** An IAM client answering from `answer`, recording what was sent. */
function fakeIam(answer: (operation: string, input: Record<string, unknown>, sent: Sent[]) => unknown): { iam: IAMClient; sent: Sent[] } {
  const sent: Sent[] = [];
  // A real client (the SDK's paginators insist on one) whose send never leaves the process.
  const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  iam.send = ((command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const operation = command.constructor.name.replace(/Command$/, '');
    sent.push({ operation, input: command.input });
    try {
      return Promise.resolve(answer(operation, command.input, sent));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }) as unknown as IAMClient['send'];
  return { iam, sent };
}

function polling(): JobPolling & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    pollDelayMs: { initial: 100, max: 400 },
    timeoutMs: 1000,
    slept,
    clock: { now: () => now, random: () => 1, sleep: async (ms) => void (slept.push(ms), (now += ms)) },
  };
}

const CODECOMMIT = {
  ServiceNamespace: 'codecommit',
  ServiceName: 'AWS CodeCommit',
  LastAuthenticated: new Date('2026-05-20T10:00:00Z'),
  LastAuthenticatedRegion: 'eu-west-1',
};

describe('codeCommitAccess', () => {
  it('polls an IN_PROGRESS job with backoff, then reads every page of the completed report', async () => {
    const gets: number[] = [];
    const { iam, sent } = fakeIam((operation, input) => {
      if (operation === 'GenerateServiceLastAccessedDetails') return { JobId: 'job-1' };
      gets.push(1);
      if (gets.length <= 2) return { JobStatus: 'IN_PROGRESS' };
      if (input.Marker === undefined)
        return {
          JobStatus: 'COMPLETED',
          JobCompletionDate: new Date('2026-12-01T00:00:00Z'),
          ServicesLastAccessed: [{ ServiceNamespace: 's3' }],
          IsTruncated: true,
          Marker: 'm2',
        };
      return {
        JobStatus: 'COMPLETED',
        JobCompletionDate: new Date('2026-12-01T00:00:00Z'),
        ServicesLastAccessed: [CODECOMMIT],
        IsTruncated: false,
      };
    });
    const poll = polling();
    const fact = await codeCommitAccess(iam, 'arn:aws:iam::111111111111:user/alice', poll);
    expect(fact).toEqual({
      permitted: true,
      lastAuthenticated: '2026-05-20T10:00:00.000Z',
      lastAuthenticatedRegion: 'eu-west-1',
      reportCompleted: '2026-12-01T00:00:00.000Z',
    });
    expect(sent[0]).toEqual({
      operation: 'GenerateServiceLastAccessedDetails',
      input: { Arn: 'arn:aws:iam::111111111111:user/alice', Granularity: 'SERVICE_LEVEL' },
    });
    expect(sent.slice(1).map((s) => s.input)).toEqual([
      { JobId: 'job-1', MaxItems: 1000 },
      { JobId: 'job-1', MaxItems: 1000 },
      { JobId: 'job-1', MaxItems: 1000 },
      { JobId: 'job-1', MaxItems: 1000, Marker: 'm2' },
    ]);
    expect(poll.slept).toEqual([100, 200]);
  });

  it('reads a service the policies do not allow as not permitted, and one never used as permitted without a time', async () => {
    const report = (services: unknown[]) =>
      fakeIam((operation) =>
        operation === 'GenerateServiceLastAccessedDetails' ? { JobId: 'j' } : { JobStatus: 'COMPLETED', ServicesLastAccessed: services },
      ).iam;
    expect(await codeCommitAccess(report([{ ServiceNamespace: 'sts' }]), 'arn:aws:iam::1:user/a', polling())).toMatchObject({
      permitted: false,
      lastAuthenticated: null,
    });
    expect(await codeCommitAccess(report([{ ServiceNamespace: 'codecommit' }]), 'arn:aws:iam::1:user/a', polling())).toMatchObject({
      permitted: true,
      lastAuthenticated: null,
    });
  });

  it('fails on a FAILED job and on a job that outlives the deadline', async () => {
    const failed = fakeIam((operation) =>
      operation === 'GenerateServiceLastAccessedDetails'
        ? { JobId: 'j' }
        : { JobStatus: 'FAILED', Error: { Code: 'InternalFailure', Message: 'x' } },
    );
    await expect(codeCommitAccess(failed.iam, 'arn:aws:iam::1:user/a', polling())).rejects.toThrow(
      'the report job failed (InternalFailure)',
    );
    const stuck = fakeIam((operation) =>
      operation === 'GenerateServiceLastAccessedDetails' ? { JobId: 'j' } : { JobStatus: 'IN_PROGRESS' },
    );
    await expect(codeCommitAccess(stuck.iam, 'arn:aws:iam::1:user/a', polling())).rejects.toThrow('did not complete within 1 s');
  });
});

function user(name: string): Principal {
  return { type: 'user', name, arn: `arn:aws:iam::111111111111:user/${name}` } as Principal;
}

describe('readCredentials with codeCommitAccess', () => {
  const keys: Record<string, { SSHPublicKeyId: string; Status: string }[]> = {
    alice: [{ SSHPublicKeyId: 'APKA1', Status: 'Active' }],
    bob: [{ SSHPublicKeyId: 'APKA2', Status: 'Inactive' }],
    carol: [],
  };
  const reads = { serverCertificates: false, serviceCredentials: false, sshPublicKeys: true, codeCommitAccess: true };

  it('asks only for users holding an active SSH key', async () => {
    const { iam, sent } = fakeIam((operation, input) => {
      if (operation === 'ListSSHPublicKeys') return { SSHPublicKeys: keys[input.UserName as string], IsTruncated: false };
      if (operation === 'GenerateServiceLastAccessedDetails') return { JobId: String(input.Arn) };
      return { JobStatus: 'COMPLETED', ServicesLastAccessed: [CODECOMMIT] };
    });
    const out = await readCredentials(iam, reads, [user('alice'), user('bob'), user('carol')], polling());
    expect(sent.filter((s) => s.operation === 'GenerateServiceLastAccessedDetails').map((s) => s.input.Arn)).toEqual([
      'arn:aws:iam::111111111111:user/alice',
    ]);
    expect(out.principals.get('alice')?.codeCommitAccess).toMatchObject({ permitted: true });
    expect(out.principals.get('bob')?.codeCommitAccess).toBeUndefined();
    expect(out.availability.collected).toEqual(['codeCommitAccess', 'sshPublicKeys']);
  });

  it('leaves codeCommitAccess unavailable, with the reason, when a call fails (an endpoint without access advisor)', async () => {
    const { iam } = fakeIam((operation, input) => {
      if (operation === 'ListSSHPublicKeys') return { SSHPublicKeys: keys[input.UserName as string], IsTruncated: false };
      throw Object.assign(new Error('Method Not Allowed'), { name: 'UnknownOperation' });
    });
    const out = await readCredentials(iam, reads, [user('alice'), user('bob')], polling());
    expect(out.availability.collected).toEqual(['sshPublicKeys']);
    expect(out.availability.unavailable.codeCommitAccess).toMatch(/^service last accessed data \(GenerateServiceLastAccessedDetails\): /);
    expect(out.principals.get('alice')?.codeCommitAccess).toBeUndefined();
  });
});
