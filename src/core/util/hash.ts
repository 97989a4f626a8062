import { createHash } from 'node:crypto';

/** Hex sha256 of a string; used for fingerprints and the rules hash. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
