import { describe, expect, it } from 'vitest';
import { makeContext, parsePolicyDocument, trustAllows, trustedEntities } from '../../src/core/policy/index.js';

const ACCOUNT = '111122223333';
const trust = (statements: object | object[]) => parsePolicyDocument({ Version: '2012-10-17', Statement: statements });

describe('trustedEntities', () => {
  it('classifies SSO, SAML, OIDC, services, accounts, users and public principals', () => {
    const doc = trust([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithSAML',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_abc_DO_NOT_DELETE` },
      },
      { Effect: 'Allow', Action: 'sts:AssumeRoleWithSAML', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` } },
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      },
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } },
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, '444455556666', `arn:aws:iam::${ACCOUNT}:user/alice`] },
      },
    ]);
    expect(trustedEntities(doc, ACCOUNT).map((e) => e.kind)).toEqual([
      'sso',
      'saml',
      'web-identity',
      'service',
      'same-account',
      'other-account',
      'user',
    ]);
  });

  it('marks conditioned trust as conditional', () => {
    const doc = trust({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: '444455556666' },
      Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
    });
    expect(trustedEntities(doc, ACCOUNT)).toEqual([{ kind: 'other-account', id: '444455556666', conditional: true, index: 0 }]);
  });

  it('ignores statements that do not grant an assume action', () => {
    const doc = trust({ Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: '444455556666' } });
    expect(trustedEntities(doc, ACCOUNT)).toEqual([]);
  });

  it('an unconditional Deny removes the principal it names', () => {
    const doc = trust([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '444455556666' } },
      { Effect: 'Deny', Action: 'sts:*', Principal: '*' },
    ]);
    expect(trustedEntities(doc, ACCOUNT)).toEqual([]);
  });
});

describe('trustAllows', () => {
  const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const ctx = makeContext({ 'aws:PrincipalArn': alice });

  it('account root principal admits users of that account', () => {
    expect(
      trustAllows(
        trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
        alice,
        ACCOUNT,
        ctx,
      ).kind,
    ).toBe('yes');
  });

  it('a named user admits only that user', () => {
    const doc = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` } });
    expect(trustAllows(doc, alice, ACCOUNT, ctx).kind).toBe('no');
  });

  it('another account does not admit local users', () => {
    const doc = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '444455556666' } });
    expect(trustAllows(doc, alice, ACCOUNT, ctx).kind).toBe('no');
  });

  it('an MFA condition makes it conditional', () => {
    const doc = trust({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: ACCOUNT },
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    expect(trustAllows(doc, alice, ACCOUNT, ctx).kind).toBe('unknown');
  });

  it('a service principal does not admit users', () => {
    const doc = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } });
    expect(trustAllows(doc, alice, ACCOUNT, ctx).kind).toBe('no');
  });

  it('Deny wins', () => {
    const doc = trust([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ACCOUNT } },
      { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: alice } },
    ]);
    expect(trustAllows(doc, alice, ACCOUNT, ctx).kind).toBe('no');
  });
});
