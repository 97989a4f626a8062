import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('generated types', () => {
  it('are up to date with schemas/', () => {
    // Throws (exit 1) when src/model/generated differs from what the schemas generate.
    expect(() => execFileSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
