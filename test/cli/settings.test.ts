import { describe, expect, it } from 'vitest';
import { decideFormats, decideSettings, DEFAULT_PACK } from '../../src/core/settings.js';

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

describe('decideFormats: --format > the --output extension > the default', () => {
  const names = (decision: ReturnType<typeof decideFormats>) => ('formats' in decision ? decision.formats.map((f) => f.name) : decision);

  it('takes the flags (any case, aliases, each once), else the extension, else the fallback', () => {
    expect(names(decideFormats({ format: ['JSON', 'md', 'markdown'] }))).toEqual(['json', 'markdown']);
    expect(names(decideFormats({ format: [], output: 'out/report.CSV' }))).toEqual(['csv']);
    expect(names(decideFormats({ format: ['sarif'], output: 'report.json' }))).toEqual(['sarif']);
    expect(names(decideFormats({ format: [], output: 'report.log' }))).toEqual(['text']);
    expect(names(decideFormats({ format: [], output: 'report.log' }, 'json'))).toEqual(['json']);
  });

  it('returns the problems instead of throwing', () => {
    const unknown = decideFormats({ format: ['yaml', 'json', 'pdf'] });
    expect('problems' in unknown && unknown.problems.map((p) => p.message)).toEqual(["unknown format 'yaml'", "unknown format 'pdf'"]);
    expect(decideFormats({ format: ['json', 'csv'], output: 'r.json' })).toEqual({
      problems: [{ message: '--output takes a single --format', suggestion: 'use --output-dir for several formats' }],
    });
  });
});
