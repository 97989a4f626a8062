import { createServer } from 'node:http';
import { ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { AwsClients } from '../../../src/collectors/aws/clients.js';
import { ScanRetryStrategy } from '../../../src/collectors/aws/retry.js';

const info = (errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR', error: Record<string, unknown>) =>
  ({ errorType, error: Object.assign(new Error('x'), error) }) as unknown as Parameters<ScanRetryStrategy['refreshRetryTokenForRetry']>[1];

describe('ScanRetryStrategy', () => {
  const strategy = new ScanRetryStrategy({ maxAttempts: 3, random: () => 0.5 });

  it('retries throttling (also IAM LimitExceeded, which the SDK calls a client error), transient and 5xx errors', async () => {
    const token = await strategy.acquireInitialRetryToken();
    for (const error of [
      info('THROTTLING', { name: 'Throttling' }),
      info('CLIENT_ERROR', { name: 'LimitExceededException', Code: 'LimitExceeded', $metadata: { httpStatusCode: 409 } }),
      info('SERVER_ERROR', { name: 'ServiceFailureException', $metadata: { httpStatusCode: 500 } }),
    ]) {
      expect((await strategy.refreshRetryTokenForRetry(token, error)).getRetryCount()).toBe(1);
    }
  });

  it('never retries client errors, nor 501 Not Implemented', async () => {
    const token = await strategy.acquireInitialRetryToken();
    await expect(
      strategy.refreshRetryTokenForRetry(token, info('CLIENT_ERROR', { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })),
    ).rejects.toThrow();
    await expect(
      strategy.refreshRetryTokenForRetry(token, info('SERVER_ERROR', { name: 'NotImplemented', $metadata: { httpStatusCode: 501 } })),
    ).rejects.toThrow();
  });

  it('stops after maxAttempts', async () => {
    let token = await strategy.acquireInitialRetryToken();
    token = await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', { name: 'Throttling' }));
    token = await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', { name: 'Throttling' }));
    await expect(strategy.refreshRetryTokenForRetry(token, info('THROTTLING', { name: 'Throttling' }))).rejects.toThrow();
  });
});

describe('optional calls against an endpoint that lacks the operation', () => {
  async function serve(status: number) {
    let requests = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end('<html><body>The action ListOrganizationsFeatures has not been implemented</body></html>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return { endpoint, requests: () => requests, close: () => server.close() };
  }

  it.each([
    [500, 3],
    [501, 1],
  ])('HTTP %i: %i attempt(s), then the call fails (its fact becomes unknown)', async (status, attempts) => {
    const endpoint = await serve(status);
    const clients = new AwsClients(
      {
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x' },
        endpoints: { iam: endpoint.endpoint },
        retryBaseDelayMs: 1,
      },
      1,
    );
    try {
      await expect(clients.callerIam(undefined, 3).send(new ListOrganizationsFeaturesCommand({}))).rejects.toBeDefined();
      expect(endpoint.requests()).toBe(attempts);
    } finally {
      clients.close();
      endpoint.close();
    }
  });
});

describe('describeError on answers that are not AWS protocol', () => {
  it('an HTML error page is reported as an unreadable response with its status, not as a parser message', async () => {
    const { describeError } = await import('../../../src/collectors/aws/errors.js');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><html><head><title>500 Internal Server Error</title></head><body><p>boom</body></html>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const clients = new AwsClients(
      {
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x' },
        endpoints: { iam: endpoint },
        maxAttempts: 1,
      },
      1,
    );
    try {
      const error = await clients
        .callerIam()
        .send(new ListOrganizationsFeaturesCommand({}))
        .catch((e: unknown) => e);
      expect(describeError(error)).toBe(
        'HTTP 500 Internal Server Error with a text/html body that is not an AWS API answer (a proxy, load balancer or wrong endpoint?)',
      );
    } finally {
      clients.close();
      server.close();
    }
  });
});
