/**
 * The local AWS sandbox: IAM, STS and Organizations on a loopback endpoint that the real
 * @aws-sdk v3 clients talk to. Test and demo infrastructure; see docs/sandbox.md.
 */
export { startSandbox } from './server.js';
export { loadFixture, checkFixture, type FixtureProblem } from './load.js';
export { generateOrganization, generateUsersCsv, type GenerateOrganizationOptions, type GenerateUsersOptions } from './generate.js';
export { DEFAULT_CALLER_CREDENTIALS, type SandboxCredentials } from './identity.js';
export type { CallEntry, SandboxFaults, SandboxHandle, SandboxOptions, SandboxService, SandboxStats, TokenBucketSpec } from './options.js';
export type {
  AccountFaults,
  AccountState,
  AccountStatus,
  AuthorizationDetails,
  FixtureAccount,
  FixtureContext,
  FixtureOu,
  FixturePolicy,
  FixtureReport,
  FixtureRole,
  OrgFixture,
  RootMfaKind,
} from './fixture.js';

/** The demo organisation's fixture, relative to the package root. */
export const DEMO_FIXTURE_PATH = 'examples/sandbox/demo-org.json';
