import { describe, expect, it } from 'vitest';
import { parseArn } from '../../src/core/report/arn.js';
import { partitionOf } from '../../src/core/remediation/facts.js';
import { seededRandom } from '../../src/sandbox/random.js';

/*
 * parseArn and partitionOf read the commercial partition (nearly every ARN) without a regular
 * expression. They must give what the patterns alone gave for any text: the same parts, or the
 * same error message.
 */

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):(.+)$/;

/** parseArn as it was: the pattern for every ARN. */
function referenceParseArn(arn: string): unknown {
  const match = ARN_PATTERN.exec(arn);
  if (!match) return { error: 'not an IAM ARN' };
  const [, partition = '', accountId = '', resource = ''] = match;
  if (resource === 'root') return { partition, accountId, resourceType: 'root', path: '/', name: 'root' };
  const slash = resource.indexOf('/');
  const lastSlash = resource.lastIndexOf('/');
  if (slash < 0) return { error: 'has no resource type' };
  return {
    partition,
    accountId,
    resourceType: resource.slice(0, slash),
    path: resource.slice(slash, lastSlash + 1),
    name: resource.slice(lastSlash + 1),
  };
}

function parsed(arn: string): unknown {
  try {
    return parseArn(arn);
  } catch (error) {
    const message = (error as Error).message;
    return { error: message.includes('has no resource type') ? 'has no resource type' : 'not an IAM ARN' };
  }
}

const PIECES = [
  'arn:',
  'aws',
  'aws-cn',
  'aws-us-gov',
  ':',
  'iam',
  '::',
  '123456789012',
  '12345678901',
  '1234567890123',
  '١٢٣',
  'user/',
  'root',
  '/',
  'a',
  'division/',
  '\n',
  '\r',
  '\u2028',
  '\u2029',
  ' ',
  '',
  'x',
];

function* hostileArns(count: number): Generator<string> {
  const next = seededRandom(11);
  const pick = () => PIECES[Math.floor(next() * PIECES.length)]!;
  for (let i = 0; i < count; i++) {
    // Mostly the shape of an ARN with one part replaced, sometimes pieces at random.
    const parts = ['arn:', 'aws', ':', 'iam', '::', '123456789012', ':', 'user/', 'alice'];
    if (next() < 0.8) parts[Math.floor(next() * parts.length)] = pick();
    else for (let j = 0; j < parts.length; j++) parts[j] = pick();
    if (next() < 0.3) parts.push(pick());
    yield parts.join('');
  }
}

describe('ARNs read without the pattern', () => {
  const edges = [
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:user/division/eng/alice',
    'arn:aws:iam::123456789012:',
    'arn:aws:iam::123456789012:x',
    'arn:aws:iam::123456789012:user/a\n',
    'arn:aws:iam::123456789012:user/a\u2028b',
    'arn:aws:iam::12345678901a:user/a',
    'arn:aws:iam::1234567890123:user/a',
    'arn:aws-cn:iam::123456789012:user/a',
    'arn:aws:sts::123456789012:user/a',
    'arn:aws:',
    'arn:awsx:iam::123456789012:user/a',
    '',
  ];

  it('parseArn gives what the pattern gave, on edge cases and 20,000 hostile strings', () => {
    for (const arn of [...edges, ...hostileArns(20000)]) expect(parsed(arn)).toEqual(referenceParseArn(arn));
  });

  it('partitionOf gives what the pattern gave', () => {
    for (const arn of [...edges, ...hostileArns(20000), 'arn:aws-iso-b:iam::1:x', 'arn:aws', 'arn:aws:', 'arn:AWS:']) {
      expect(partitionOf(arn)).toBe(/^arn:(aws[a-z-]*):/.exec(arn)?.[1] ?? 'aws');
    }
  });
});
