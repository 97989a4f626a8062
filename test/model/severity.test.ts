import { describe, expect, it } from 'vitest';
import { SEVERITIES, severityRank } from '../../src/model/index.js';

describe('severityRank (the one severity order)', () => {
  it('ranks the severities in their declared order, critical first, and anything else after them', () => {
    expect(SEVERITIES.map(severityRank)).toEqual([0, 1, 2, 3, 4]);
    expect(severityRank('urgent')).toBe(SEVERITIES.length);
    expect(severityRank('constructor')).toBe(SEVERITIES.length);
    expect(severityRank('__proto__')).toBe(SEVERITIES.length);
  });
});
