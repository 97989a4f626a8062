import { describe, expect, it } from 'vitest';
import { evaluate, makeContext, parsePolicyDocument, type NamedPolicy, type PolicySet } from '../../src/core/policy/index.js';

const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;

const aliceContext = makeContext({
  'aws:username': 'alice',
  'aws:userid': 'AIDAALICE',
  'aws:PrincipalArn': ALICE,
  'aws:PrincipalAccount': ACCOUNT,
  'aws:PrincipalType': 'User',
  'aws:PrincipalTag/team': 'ops',
});

function policy(name: string, statements: object | object[], version = '2012-10-17'): NamedPolicy {
  return { name, document: parsePolicyDocument({ Version: version, Statement: statements }) };
}

const allowAllIam = policy('iam-admin', { Effect: 'Allow', Action: 'iam:*', Resource: '*' });
const fullAccess = policy('FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' });

interface Case {
  name: string;
  action: string;
  resource?: string;
  set: PolicySet;
  decision: 'allow' | 'deny' | 'implicitDeny';
  conditional?: boolean;
}

const cases: Case[] = [
  { name: 'no policy is an implicit deny', action: 'iam:CreateAccessKey', set: { identity: [] }, decision: 'implicitDeny' },
  { name: 'service wildcard allows', action: 'iam:CreateAccessKey', set: { identity: [allowAllIam] }, decision: 'allow' },
  { name: 'action match is case-insensitive', action: 'IAM:createaccesskey', set: { identity: [allowAllIam] }, decision: 'allow' },
  { name: 'service wildcard does not cross services', action: 's3:GetObject', set: { identity: [allowAllIam] }, decision: 'implicitDeny' },
  {
    name: 'prefix wildcard iam:Update* matches UpdateLoginProfile',
    action: 'iam:UpdateLoginProfile',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:Update*', Resource: '*' })] },
    decision: 'allow',
  },
  {
    name: 'prefix wildcard iam:Update* does not match CreateLoginProfile',
    action: 'iam:CreateLoginProfile',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:Update*', Resource: '*' })] },
    decision: 'implicitDeny',
  },
  {
    name: '? matches exactly one character',
    action: 'iam:CreateAccessKey',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:CreateAccessKe?', Resource: '*' })] },
    decision: 'allow',
  },
  {
    name: 'wildcard in the service prefix',
    action: 'iam:CreateAccessKey',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'i*:Create*', Resource: '*' })] },
    decision: 'allow',
  },
  { name: 'action * allows everything', action: 'iam:CreateLoginProfile', set: { identity: [fullAccess] }, decision: 'allow' },
  {
    name: 'explicit Deny wins over Allow',
    action: 'iam:CreateAccessKey',
    set: { identity: [allowAllIam, policy('deny', { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' })] },
    decision: 'deny',
  },
  {
    name: 'Deny in the same policy wins regardless of order',
    action: 'iam:UpdateLoginProfile',
    set: {
      identity: [
        policy('p', [
          { Effect: 'Deny', Action: 'iam:*LoginProfile', Resource: '*' },
          { Effect: 'Allow', Action: '*', Resource: '*' },
        ]),
      ],
    },
    decision: 'deny',
  },
  {
    name: 'NotAction allows everything except the listed actions',
    action: 'iam:CreateAccessKey',
    set: { identity: [policy('power-user', { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })] },
    decision: 'implicitDeny',
  },
  {
    name: 'NotAction allows actions not listed',
    action: 's3:GetObject',
    set: { identity: [policy('power-user', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    decision: 'allow',
  },
  {
    name: 'Deny with NotAction denies every other action',
    action: 'iam:UpdateLoginProfile',
    set: { identity: [fullAccess, policy('only-read', { Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*'], Resource: '*' })] },
    decision: 'deny',
  },
  {
    name: 'resource ARN wildcard matches users by path',
    action: 'iam:CreateAccessKey',
    resource: `arn:aws:iam::${ACCOUNT}:user/division/eng/carol`,
    set: {
      identity: [policy('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/division/*` })],
    },
    decision: 'allow',
  },
  {
    name: 'resource ARN of another account does not match',
    action: 'iam:CreateAccessKey',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::999999999999:user/*' })] },
    decision: 'implicitDeny',
  },
  {
    name: 'NotResource allows resources outside the list',
    action: 'iam:CreateAccessKey',
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:*', NotResource: `arn:aws:iam::${ACCOUNT}:user/admin*` })] },
    decision: 'allow',
  },
  {
    name: 'NotResource excludes the listed resources',
    action: 'iam:CreateAccessKey',
    resource: `arn:aws:iam::${ACCOUNT}:user/admin-x`,
    set: { identity: [policy('p', { Effect: 'Allow', Action: 'iam:*', NotResource: `arn:aws:iam::${ACCOUNT}:user/admin*` })] },
    decision: 'implicitDeny',
  },
  {
    name: "${aws:username} matches the caller's own user",
    action: 'iam:CreateAccessKey',
    set: {
      identity: [policy('self', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' })],
    },
    decision: 'allow',
  },
  {
    name: '${aws:username} does not match another user',
    action: 'iam:CreateAccessKey',
    resource: BOB,
    set: {
      identity: [policy('self', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' })],
    },
    decision: 'implicitDeny',
  },
  {
    name: 'variables are literal text in Version 2008-10-17 policies',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('old', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' }, '2008-10-17'),
      ],
    },
    decision: 'implicitDeny',
  },
  {
    name: '${aws:PrincipalAccount} in a resource',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [policy('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:user/*' })],
    },
    decision: 'allow',
  },
  {
    name: 'boundary intersects: identity allows, boundary does not',
    action: 'iam:CreateAccessKey',
    set: { identity: [allowAllIam], boundary: policy('boundary', { Effect: 'Allow', Action: ['s3:*', 'iam:Get*'], Resource: '*' }) },
    decision: 'implicitDeny',
  },
  {
    name: 'boundary intersects: both allow',
    action: 'iam:CreateAccessKey',
    set: { identity: [allowAllIam], boundary: policy('boundary', { Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' }) },
    decision: 'allow',
  },
  {
    name: 'boundary alone grants nothing',
    action: 'iam:CreateAccessKey',
    set: { identity: [], boundary: fullAccess },
    decision: 'implicitDeny',
  },
  {
    name: 'boundary Deny denies',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [allowAllIam],
      boundary: policy('boundary', [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' },
      ]),
    },
    decision: 'deny',
  },
  {
    name: 'SCP deny denies in a member account',
    action: 'iam:UpdateLoginProfile',
    set: {
      identity: [allowAllIam],
      scps: [
        { target: 'r-root', policies: [fullAccess] },
        {
          target: 'ou-prod',
          policies: [fullAccess, policy('deny-reset', { Effect: 'Deny', Action: 'iam:UpdateLoginProfile', Resource: '*' })],
        },
        { target: ACCOUNT, policies: [fullAccess] },
      ],
    },
    decision: 'deny',
  },
  {
    name: 'every SCP level must allow',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [allowAllIam],
      scps: [
        { target: 'r-root', policies: [fullAccess] },
        { target: 'ou-sandbox', policies: [policy('only-s3', { Effect: 'Allow', Action: 's3:*', Resource: '*' })] },
        { target: ACCOUNT, policies: [fullAccess] },
      ],
    },
    decision: 'implicitDeny',
  },
  {
    name: 'SCP allows do not grant by themselves',
    action: 'iam:CreateAccessKey',
    set: { identity: [], scps: [{ target: 'r-root', policies: [fullAccess] }] },
    decision: 'implicitDeny',
  },
  {
    name: 'management account: SCPs are not applied (caller passes none)',
    action: 'iam:UpdateLoginProfile',
    set: { identity: [allowAllIam] },
    decision: 'allow',
  },
  {
    name: 'unknown condition key makes an Allow conditional',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('mfa', { Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
      ],
    },
    decision: 'allow',
    conditional: true,
  },
  {
    name: 'unknown condition key on a Deny makes the Allow conditional, not denied',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        allowAllIam,
        policy('deny-outside', {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
        }),
      ],
    },
    decision: 'allow',
    conditional: true,
  },
  {
    name: 'a known-false condition removes the statement even with other unknown keys',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('p', {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'finance' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      ],
    },
    decision: 'implicitDeny',
  },
  {
    name: 'known principal tag condition is evaluated',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('p', {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': ['ops', 'sec'] } },
        }),
      ],
    },
    decision: 'allow',
    conditional: false,
  },
  {
    name: 'StringNotEquals with a missing key matches',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('p', {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:PrincipalTag/absent': 'x' } },
        }),
      ],
    },
    decision: 'allow',
  },
  {
    name: 'StringLike with a variable in the value',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('p', {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/${aws:username}' } },
        }),
      ],
    },
    decision: 'allow',
  },
  {
    name: 'ArnLike on aws:PrincipalArn',
    action: 'iam:CreateAccessKey',
    set: {
      identity: [
        policy('p', {
          Effect: 'Allow',
          Action: 'iam:*',
          Resource: '*',
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/bob' } },
        }),
      ],
    },
    decision: 'implicitDeny',
  },
];

describe('evaluate', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = evaluate({ action: c.action, resource: c.resource ?? ALICE, context: aliceContext }, c.set);
      expect(result.decision).toBe(c.decision);
      if (c.conditional !== undefined) expect(result.conditional).toBe(c.conditional);
    });
  }

  it('reports the statements that decided, with layer, policy, sid and index', () => {
    const result = evaluate(
      { action: 'iam:CreateAccessKey', resource: ALICE, context: aliceContext },
      {
        identity: [
          allowAllIam,
          policy('deny', [
            { Sid: 'Other', Effect: 'Deny', Action: 's3:*', Resource: '*' },
            { Sid: 'NoKeys', Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' },
          ]),
        ],
      },
    );
    expect(result.matchedStatements).toEqual([
      { layer: 'identity', policyName: 'iam-admin', effect: 'Allow', index: 0, conditional: false },
      { layer: 'identity', policyName: 'deny', sid: 'NoKeys', effect: 'Deny', index: 1, conditional: false },
    ]);
  });

  it('names the unknown keys of a conditional statement', () => {
    const result = evaluate(
      { action: 'iam:CreateAccessKey', resource: ALICE, context: aliceContext },
      {
        identity: [
          policy('mfa', { Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
        ],
      },
    );
    expect(result.matchedStatements[0]?.unknownKeys).toEqual(['aws:MultiFactorAuthPresent']);
  });

  it('an unknown variable in a resource makes the statement conditional', () => {
    const roleContext = makeContext({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' });
    const result = evaluate(
      { action: 'iam:CreateAccessKey', resource: ALICE, context: roleContext },
      { identity: [policy('p', { Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:username}' })] },
    );
    expect(result).toMatchObject({ decision: 'allow', conditional: true });
  });

  it('a variable known to be absent matches nothing', () => {
    const roleContext = makeContext({ 'aws:username': null });
    const result = evaluate(
      { action: 'iam:CreateAccessKey', resource: ALICE, context: roleContext },
      { identity: [policy('p', { Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:username}' })] },
    );
    expect(result.decision).toBe('implicitDeny');
  });
});

describe('policy variables', () => {
  const allow = (resource: string) => ({ identity: [policy('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: resource })] });
  const decide = (resource: string, target: string, context = aliceContext) =>
    evaluate({ action: 'iam:CreateAccessKey', resource: target, context }, allow(resource)).decision;

  it('${*}, ${?} and ${$} stand for the literal characters', () => {
    expect(decide('arn:aws:iam::111122223333:user/a${*}b', 'arn:aws:iam::111122223333:user/a*b')).toBe('allow');
    expect(decide('arn:aws:iam::111122223333:user/a${*}b', 'arn:aws:iam::111122223333:user/axxb')).toBe('implicitDeny');
    expect(decide('arn:aws:iam::111122223333:user/a${?}', 'arn:aws:iam::111122223333:user/a?')).toBe('allow');
    expect(decide('arn:aws:iam::111122223333:user/${$}x', 'arn:aws:iam::111122223333:user/$x')).toBe('allow');
  });

  it('a default value applies when the key is absent', () => {
    const noName = makeContext({ 'aws:username': null });
    expect(decide("arn:aws:iam::111122223333:user/${aws:username, 'shared'}", 'arn:aws:iam::111122223333:user/shared', noName)).toBe(
      'allow',
    );
    expect(decide("arn:aws:iam::111122223333:user/${aws:username, 'shared'}", ALICE)).toBe('allow');
  });

  it('substituted values match literally, never as wildcards', () => {
    const starUser = makeContext({ 'aws:username': 'a*' });
    expect(decide('arn:aws:iam::111122223333:user/${aws:username}', 'arn:aws:iam::111122223333:user/abc', starUser)).toBe('implicitDeny');
  });

  it('principal tag variables', () => {
    expect(decide('arn:aws:iam::111122223333:user/${aws:PrincipalTag/team}/*', 'arn:aws:iam::111122223333:user/ops/bob')).toBe('allow');
  });
});
