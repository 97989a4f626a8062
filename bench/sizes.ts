/** Scenario sizes: the full benchmark (issue 7) and the seconds-long smoke version run in CI. */

/** Sizes and settings of every scenario. */
export interface BenchSizes {
  offline: { accounts: number; usersPerAccount: number };
  /** `generatedAccounts`: size of the extra run where no report exists yet (Markdown only). */
  live: {
    accounts: number;
    usersPerAccount: number;
    latencyMs: number;
    concurrency: number;
    reportPolls: number;
    generatedAccounts: number;
  };
  throttled: {
    accounts: number;
    usersPerAccount: number;
    latencyMs: number;
    concurrency: number;
    assumeRoleRps: number;
    iamRpsPerAccount: number;
  };
  scale: { accounts: number; usersPerAccount: number; latencyMs: number; concurrency: number };
  /** Findings resolved between the two results of the trend scenario (bench/trend.ts). */
  trend: { resolved: number };
  /** Runs per start-up command, after one warm-up run (bench/startup.ts): the median is reported. */
  startup: { runs: number };
}

/** The sizes of issue 7: 1M principals offline, 1,000 accounts live, 10,000 accounts at scale. */
export const FULL_SIZES: BenchSizes = {
  offline: { accounts: 500, usersPerAccount: 2000 },
  live: { accounts: 1000, usersPerAccount: 100, latencyMs: 50, concurrency: 16, reportPolls: 2, generatedAccounts: 200 },
  throttled: { accounts: 400, usersPerAccount: 20, latencyMs: 10, concurrency: 16, assumeRoleRps: 20, iamRpsPerAccount: 2 },
  scale: { accounts: 10_000, usersPerAccount: 100, latencyMs: 1, concurrency: 16 },
  trend: { resolved: 200_000 },
  startup: { runs: 5 },
};

/** Tiny sizes: every code path of the benchmark in a few seconds (test/bench/smoke.test.ts). */
export const SMOKE_SIZES: BenchSizes = {
  offline: { accounts: 3, usersPerAccount: 60 },
  live: { accounts: 12, usersPerAccount: 5, latencyMs: 5, concurrency: 4, reportPolls: 2, generatedAccounts: 4 },
  throttled: { accounts: 24, usersPerAccount: 3, latencyMs: 1, concurrency: 6, assumeRoleRps: 40, iamRpsPerAccount: 5 },
  scale: { accounts: 40, usersPerAccount: 10, latencyMs: 0, concurrency: 8 },
  trend: { resolved: 500 },
  startup: { runs: 1 },
};
