import { describe, expect, it } from 'vitest';
import { decideSettings, DEFAULT_PACK } from '../../src/core/settings.js';

describe('decideSettings: flag > config file > default', () => {
  const config = { pack: 'cis-aws-3.0', rulesDirs: ['./team-rules'], failOn: 'high' as const, waivers: 'waivers.yaml' };

  it('the config decides what no flag sets', () => {
    expect(decideSettings({}, config)).toEqual({
      pack: { value: 'cis-aws-3.0', from: 'config' },
      rulesDirs: [{ path: './team-rules', base: 'config' }],
      failOn: { value: 'high', from: 'config' },
      waivers: { path: 'waivers.yaml', base: 'config' },
    });
  });

  it('flags win over the config; rule folders add up, flags first', () => {
    expect(decideSettings({ pack: 'complete', rules: ['/abs/mine'], failOn: 'none', waivers: 'other.yaml' }, config)).toEqual({
      pack: { value: 'complete', from: 'flag' },
      rulesDirs: [
        { path: '/abs/mine', base: 'cwd' },
        { path: './team-rules', base: 'config' },
      ],
      failOn: { value: 'none', from: 'flag' },
      waivers: { path: 'other.yaml', base: 'cwd' },
    });
  });

  it('without flags or config: the default pack, no gate, no waivers', () => {
    expect(decideSettings({}, undefined)).toEqual({ pack: { value: DEFAULT_PACK, from: 'default' }, rulesDirs: [] });
    expect(DEFAULT_PACK).toBe('recommended');
  });
});
