import { describe, expect, it } from 'vitest';
import { sha256, sha256Id } from '../../src/core/util/hash.js';

describe('sha256Id (fingerprints and plan ids)', () => {
  it('is the prefix and the first digits of the hex digest', () => {
    for (const text of ['', 'a', 'rule\u0000123456789012\u0000arn:aws:iam::123456789012:user/alice\u0000access_key_1', 'é'.repeat(100)]) {
      expect(sha256Id('', text, 32)).toBe(sha256(text).slice(0, 32));
      expect(sha256Id('plan-', text, 16)).toBe(`plan-${sha256(text).slice(0, 16)}`);
      expect(sha256Id('x', text, 3)).toBe(`x${sha256(text).slice(0, 3)}`);
    }
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
