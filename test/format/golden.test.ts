import { describe, it } from 'vitest';
import { findFormatter } from '../../src/core/format/registry.js';
import { formatJobSummary } from '../../src/core/format/github.js';
import { CONTEXT, exampleResult, expectGolden } from './helpers.js';

// Golden files for the example organisation: any change to a report's text shows
// up as a diff to review. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/format`.
describe('golden reports of the example organisation', () => {
  it.each([
    ['csv', 'example-org.csv'],
    ['markdown', 'example-org.md'],
    ['sarif', 'example-org.sarif'],
    ['junit', 'example-org.junit.xml'],
    ['github', 'example-org.github.txt'],
  ])('%s', async (format, file) => {
    const formatter = findFormatter(format);
    if (!formatter) throw new Error(`format ${format} is not registered`);
    expectGolden(file, formatter.format(await exampleResult(), CONTEXT));
  });

  it('GitHub job summary', async () => {
    expectGolden('example-org.summary.md', formatJobSummary(await exampleResult(), CONTEXT));
  });
});
