import { describe, expect, it } from 'vitest';
import { parsePolicyDocument, PolicyParseError } from '../../src/core/policy/index.js';

describe('parsePolicyDocument', () => {
  it('decodes URL-encoded documents as GetAccountAuthorizationDetails returns them', () => {
    const text = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:*', Resource: '*' } }),
    );
    const doc = parsePolicyDocument(text);
    expect(doc).toEqual({ version: '2012-10-17', statements: [{ index: 0, effect: 'Allow', action: ['iam:*'], resource: ['*'] }] });
  });

  it('normalises single values to arrays and keeps Principal and Condition', () => {
    const doc = parsePolicyDocument({
      Statement: [
        {
          Sid: 'A',
          Effect: 'Deny',
          NotAction: 'iam:Get*',
          NotResource: 'arn:x',
          Principal: { AWS: '111122223333' },
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    });
    expect(doc.statements[0]).toEqual({
      index: 0,
      sid: 'A',
      effect: 'Deny',
      notAction: ['iam:Get*'],
      notResource: ['arn:x'],
      principal: { AWS: ['111122223333'] },
      condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    });
  });

  it.each([
    ['not JSON', '{nope'],
    ['no Statement', { Version: '2012-10-17' }],
    ['bad Effect', { Statement: { Effect: 'Maybe', Action: '*' } }],
    ['no Action', { Statement: { Effect: 'Allow', Resource: '*' } }],
  ])('rejects %s', (_name, input) => {
    expect(() => parsePolicyDocument(input as string | object)).toThrow(PolicyParseError);
  });
});
