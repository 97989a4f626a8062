import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as iam from '@aws-sdk/client-iam';
import * as organizations from '@aws-sdk/client-organizations';
import * as sts from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { ALLOWED_OPERATION_NAMES, ReadOnlyViolation } from '../../../src/collectors/aws/allow-list.js';
import { AwsClients } from '../../../src/collectors/aws/clients.js';

/** An HTTP handler that records what reached the network layer and then fails the call. */
function recordingHandler(sent: string[]) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: async (request: { body?: unknown; headers: Record<string, string> }) => {
      const target = request.headers['x-amz-target'];
      const action = typeof request.body === 'string' ? /Action=([A-Za-z]+)/.exec(request.body)?.[1] : undefined;
      sent.push(target ? (target.split('.').pop() ?? target) : (action ?? '?'));
      throw Object.assign(new Error('recorded, not sent'), { name: 'RecordedError', $metadata: {} });
    },
  };
}

type CommandClass = new (input: object) => object;

function commandsOf(module: Record<string, unknown>): [string, CommandClass][] {
  return Object.entries(module)
    .filter(
      ([name, value]) =>
        name.endsWith('Command') &&
        typeof value === 'function' &&
        typeof (value as { prototype?: { resolveMiddleware?: unknown } }).prototype?.resolveMiddleware === 'function',
    )
    .map(([name, value]) => [name.replace(/Command$/, ''), value as CommandClass]);
}

const member = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'member', sessionToken: 'token' };
const SERVICES = [
  ['iam', iam, (c: AwsClients) => c.callerIam(), ''],
  // Accounts' IAM clients share one client (clients.ts), guarded once for all of them.
  ['iam', iam, (c: AwsClients) => c.accountIam(member), " (an account's client)"],
  ['sts', sts, (c: AwsClients) => c.callerSts(), ''],
  ['organizations', organizations, (c: AwsClients) => c.callerOrganizations(), ''],
] as const;

describe('read-only guarantee', () => {
  for (const [service, module, make, which] of SERVICES) {
    it(`no ${service} operation outside the allow-list reaches the network${which}`, async () => {
      const sent: string[] = [];
      const clients = new AwsClients(
        {
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
          maxAttempts: 1,
          requestHandler: recordingHandler(sent),
          endpoints: { iam: 'http://127.0.0.1:9', sts: 'http://127.0.0.1:9', organizations: 'http://127.0.0.1:9' },
        },
        1,
      );
      const client = make(clients) as unknown as { send(command: object): Promise<unknown> };
      const commands = commandsOf(module as unknown as Record<string, unknown>);
      expect(commands.length).toBeGreaterThan(service === 'sts' ? 5 : 40);
      const refused: string[] = [];
      for (const [operation, Command] of commands) {
        const error = await client.send(new Command({})).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error instanceof ReadOnlyViolation) refused.push(operation);
        else expect(ALLOWED_OPERATION_NAMES.has(operation), `${operation} was not refused`).toBe(true);
      }
      // Everything that reached the handler is allowed; everything else was refused before signing.
      for (const operation of sent) expect(ALLOWED_OPERATION_NAMES.has(operation), operation).toBe(true);
      expect(refused.length + sent.length).toBeGreaterThanOrEqual(commands.length - 2);
      expect(refused).toContain(service === 'iam' ? 'DeleteUser' : service === 'sts' ? 'GetSessionToken' : 'CloseAccount');
      clients.close();
    });
  }

  it('the collector source only constructs allowed commands', () => {
    const dir = fileURLToPath(new URL('../../../src/collectors/aws/', import.meta.url));
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      // Commands are sent directly (new XCommand) or page by page through SDK paginators (paginateX).
      for (const match of readFileSync(`${dir}${file}`, 'utf8').matchAll(/new (\w+)Command\(|paginate(\w+)\(/g))
        used.add(match[1] ?? match[2] ?? '');
    }
    expect(used.size).toBeGreaterThan(5);
    for (const operation of used) expect(ALLOWED_OPERATION_NAMES.has(operation), operation).toBe(true);
  });
});
