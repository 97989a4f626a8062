import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../src/core/policy/conditions.js';
import { makeContext } from '../../src/core/policy/index.js';

const context = makeContext({
  'aws:username': 'Alice',
  'aws:PrincipalTag/level': '3',
  'aws:CurrentTime': '2026-01-15T00:00:00Z',
  'aws:MultiFactorAuthPresent': 'true',
  'aws:TagKeys': ['env', 'team'],
  'aws:PrincipalTag/absent': null,
});

const cases: [string, Record<string, Record<string, string | string[]>>, 'yes' | 'no' | 'unknown'][] = [
  ['StringEquals is case-sensitive', { StringEquals: { 'aws:username': 'alice' } }, 'no'],
  ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:username': 'alice' } }, 'yes'],
  ['StringNotEquals', { StringNotEquals: { 'aws:username': ['Bob', 'Carol'] } }, 'yes'],
  ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, 'no'],
  ['StringLike', { StringLike: { 'aws:username': 'Al*' } }, 'yes'],
  ['StringNotLike', { StringNotLike: { 'aws:username': 'Al?ce' } }, 'no'],
  ['keys are case-insensitive', { StringEquals: { 'AWS:USERNAME': 'Alice' } }, 'yes'],
  ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 'aws:PrincipalTag/level': '3' } }, 'yes'],
  ['NumericLessThan', { NumericLessThan: { 'aws:PrincipalTag/level': '3' } }, 'no'],
  ['DateLessThan', { DateLessThan: { 'aws:CurrentTime': '2026-02-01T00:00:00Z' } }, 'yes'],
  ['DateGreaterThan with epoch seconds', { DateGreaterThan: { 'aws:CurrentTime': '1800000000' } }, 'no'],
  ['Bool', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, 'no'],
  ['Null true on an absent key', { Null: { 'aws:PrincipalTag/absent': 'true' } }, 'yes'],
  ['Null false on a present key', { Null: { 'aws:username': 'false' } }, 'yes'],
  ['Null on an unknown key is unknown', { Null: { 'aws:SourceIp': 'true' } }, 'unknown'],
  ['IfExists on an absent key matches', { StringEqualsIfExists: { 'aws:PrincipalTag/absent': 'x' } }, 'yes'],
  ['positive operator on an absent key fails', { StringEquals: { 'aws:PrincipalTag/absent': 'x' } }, 'no'],
  ['ForAnyValue', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'cost'] } }, 'yes'],
  ['ForAllValues fails when one value is outside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, 'no'],
  ['ForAllValues holds when every value is inside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env', 'x'] } }, 'yes'],
  ['ForAllValues on an absent key is vacuously true', { 'ForAllValues:StringEquals': { 'aws:PrincipalTag/absent': ['x'] } }, 'yes'],
  ['unknown key is unknown', { StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, 'unknown'],
  ['unsupported operator is unknown', { IpAddress: { 'aws:username': '10.0.0.0/8' } }, 'unknown'],
  [
    'AND across operators: a false part wins over an unknown one',
    { StringEquals: { 'aws:username': 'Bob' }, Bool: { 'aws:SecureTransport': 'true' } },
    'no',
  ],
];

describe('conditions', () => {
  for (const [name, block, expected] of cases) {
    it(name, () => {
      const parsed = Object.fromEntries(
        Object.entries(block).map(([op, keys]) => [
          op,
          Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
        ]),
      );
      expect(evaluateCondition(parsed, context, true).kind).toBe(expected);
    });
  }
});
