import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsClients } from '../../../src/collectors/aws/clients.js';
import { fetchCredentialReport } from '../../../src/collectors/aws/report.js';
import { contentLifter, splitContent, type LiftedContent } from '../../../src/collectors/aws/report-content.js';
import { fakeClock, reportCsv } from './helpers.js';

afterEach(() => vi.unstubAllEnvs());

const csv = reportCsv('111111111111', { users: ['alice', 'bob', 'carol'] });
const base64 = Buffer.from(csv).toString('base64');

/** GetCredentialReport's answer with `content` as the Content element's raw text (and `extra` before the result). */
function answer(content: string, extra = ''): string {
  return (
    `<?xml version="1.0"?>\n<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">${extra}<GetCredentialReportResult>` +
    `<Content>${content}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-27T00:00:00Z</GeneratedTime>` +
    `</GetCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCredentialReportResponse>`
  );
}

describe('splitContent: only plain base64 Content is lifted', () => {
  it('lifts the text (whitespace included) and leaves an empty Content in the rest', () => {
    const wrapped = `\n  ${base64.replace(/(.{76})/g, '$1\n  ')}\n`;
    const split = splitContent(Buffer.from(answer(wrapped)));
    expect(split?.base64).toBe(wrapped);
    expect(split?.rest.toString()).toBe(answer(''));
  });

  it.each([
    ['an entity in the text', answer(`${base64.slice(0, 8)}&#x41;${base64.slice(8)}`)],
    ['CDATA', answer(`<![CDATA[${base64}]]>`)],
    ['a comment anywhere', answer(base64, '<!-- <Content>AAAA</Content> -->')],
    ['a second Content', answer(base64, '<Content>AAAA</Content>')],
    ['no closing tag', answer(base64).replace('</Content>', '')],
    ['no Content', answer(base64).replace(/<\/?Content>/g, '')],
  ])('leaves the answer to the SDK with %s', (_label, xml) => {
    expect(splitContent(Buffer.from(xml))).toBeUndefined();
  });
});

/** Serves `body` with `status` to every request; resolves to the endpoint and a closer. */
async function serve(status: number, body: string): Promise<{ endpoint: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'text/xml' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

async function fetchFrom(endpoint: string) {
  const dir = mkdtempSync(join(tmpdir(), 'credwarden-aws-'));
  writeFileSync(join(dir, 'config'), '');
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  const clients = new AwsClients(
    {
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'not-a-secret' },
      endpoints: { iam: endpoint },
      maxAttempts: 1,
    },
    1,
  );
  try {
    return await fetchCredentialReport(
      clients.callerIam(),
      { maxReportAgeMs: 4 * 3_600_000, reportTimeoutMs: 2000, pollDelayMs: { initial: 1, max: 1 } },
      fakeClock(Date.parse('2026-11-27T01:00:00Z')),
    );
  } finally {
    clients.close();
  }
}

describe('the report read through the real SDK, whichever path its Content takes', () => {
  it.each([
    ['plain base64 (lifted)', answer(base64)],
    [
      'base64 with an entity (the SDK parses it)',
      answer(`${base64.slice(0, 8)}&#x${base64.charCodeAt(8).toString(16)};${base64.slice(9)}`),
    ],
    ['a comment holding another Content (the SDK parses it)', answer(base64, '<!-- <Content>QUFBQQ==</Content> -->')],
  ])('%s: the same CSV and GeneratedTime', async (_label, body) => {
    const server = await serve(200, body);
    try {
      expect(await fetchFrom(server.endpoint)).toEqual({ csv, generatedTime: '2026-11-27T00:00:00Z' });
    } finally {
      server.close();
    }
  });

  it('an error answer still reaches the SDK whole: its code and message are reported', async () => {
    const server = await serve(
      403,
      '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed: <Content>x</Content></Message></Error><RequestId>r</RequestId></ErrorResponse>',
    );
    try {
      await expect(fetchFrom(server.endpoint)).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      server.close();
    }
  });
});

describe('contentLifter: one attempt at a time', () => {
  it('an attempt whose answer is not lifted leaves no Content of an earlier attempt behind', async () => {
    const into: LiftedContent = {};
    const readers = {
      streamCollector: () => Promise.reject(new Error('not streamed')),
      base64Decoder: (text: string) => Buffer.from(text, 'base64'),
    };
    const attempt = (statusCode: number, xml: string) =>
      contentLifter(readers, into)(
        async () => ({ response: { statusCode, headers: {}, body: Buffer.from(xml) }, output: {} }) as never,
        {} as never,
      )({} as never);
    await attempt(200, answer(Buffer.from('first,report\n').toString('base64')));
    expect(Buffer.from(into.content!).toString()).toBe('first,report\n');
    await attempt(500, '<ErrorResponse><Error><Code>ServiceFailure</Code></Error></ErrorResponse>');
    expect(into.content).toBeUndefined();
  });
});
