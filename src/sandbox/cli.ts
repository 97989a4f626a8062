/**
 * Manual entry point: `node dist/src/sandbox/cli.js --fixture FILE [--port N] [--latency MS]`.
 * Prints the endpoint and the caller's fake credentials, then serves until interrupted.
 */
import { parseArgs } from 'node:util';
import { formatDiagnostic, InputError } from '../model/index.js';
import { generateOrganization } from './generate.js';
import { loadFixture } from './load.js';
import type { SandboxFaults } from './options.js';
import { startSandbox } from './server.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      generate: { type: 'string' },
      users: { type: 'string', default: '20' },
      port: { type: 'string', default: '0' },
      latency: { type: 'string', default: '0' },
      'report-polls': { type: 'string' },
      'throttle-probability': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (values.fixture === undefined && values.generate === undefined)) {
    process.stderr.write(
      'usage: credwarden-sandbox (--fixture FILE | --generate ACCOUNTS [--users N]) [--port N] [--latency MS]\n' +
        '                          [--report-polls N] [--throttle-probability P] [--faults JSON] [--seed N]\n' +
        '  --faults takes SandboxFaults as JSON, e.g. \'{"buckets":[{"operations":["AssumeRole"],"ratePerSecond":20}]}\'\n',
    );
    return values.help ? 0 : 2;
  }
  const fixture =
    values.fixture !== undefined
      ? loadFixture(values.fixture)
      : generateOrganization({ accounts: Number(values.generate), usersPerAccount: Number(values.users), seed: Number(values.seed) });
  const extraFaults = values.faults === undefined ? {} : (JSON.parse(values.faults) as SandboxFaults);
  const sandbox = await startSandbox({
    fixture,
    port: Number(values.port),
    latencyMs: Number(values.latency),
    faults: {
      ...extraFaults,
      ...(values['report-polls'] !== undefined ? { reportPolls: Number(values['report-polls']) } : {}),
      ...(values['throttle-probability'] !== undefined ? { throttleProbability: Number(values['throttle-probability']) } : {}),
    },
  });
  process.stdout.write(
    `${sandbox.endpoint}\n` +
      `# export AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_ACCESS_KEY_ID=${sandbox.credentials.accessKeyId} ` +
      // Fake keys valid only here; the sandbox checks signatures, so the secret must match.
      `AWS_SECRET_ACCESS_KEY=${sandbox.credentials.secretAccessKey} AWS_REGION=us-east-1\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError) for (const d of error.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    else process.stderr.write(`credwarden-sandbox: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
