import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // One temporary folder per run, removed at its end (test/helpers/temp-root.ts).
    globalSetup: ['test/helpers/temp-root.ts'],
    // The AWS SDK warns once per process on Node < 22 about its 2027 releases; every test file is
    // a process, so `npm test` printed it 21 times. credwarden pins the SDK and supports Node 20
    // (the CLI sets the same variable for its own scans).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
