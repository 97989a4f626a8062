/**
 * AWS Signature Version 4 verification, as AWS checks every request: the sandbox recomputes the
 * signature from the request and the secret key it knows for the access key id. This proves the
 * clients really sign (an endpoint that validates signatures would otherwise reject them) and
 * that each request was signed with the secret of the key it names.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The parts of a SigV4 Authorization header. */
export interface SignatureParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; undefined when malformed. */
export function parseAuthorization(header: string | undefined): SignatureParts | undefined {
  const match = header === undefined ? null : AUTHORIZATION.exec(header.trim());
  if (match === null) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].map(([k, v]) => [encode(k), encode(v)] as const);
  pairs.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalHeaders(req: IncomingMessage, names: readonly string[]): string | undefined {
  let text = '';
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return undefined;
    text += `${name}:${(Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ')}\n`;
  }
  return text;
}

/** The signature the request should carry when signed with `secretAccessKey`, or undefined when it cannot be computed. */
export function expectedSignature(req: IncomingMessage, body: Buffer, parts: SignatureParts, secretAccessKey: string): string | undefined {
  const amzDate = req.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !amzDate.startsWith(parts.date)) return undefined;
  const headers = canonicalHeaders(req, parts.signedHeaders);
  if (headers === undefined) return undefined;
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const path =
    url.pathname
      .split('/')
      .map((segment) => encode(decodeURIComponent(segment)))
      .join('/') || '/';
  const payload = typeof req.headers['x-amz-content-sha256'] === 'string' ? req.headers['x-amz-content-sha256'] : sha256(body);
  const request = [req.method ?? 'POST', path, canonicalQuery(url.search), headers, parts.signedHeaders.join(';'), payload].join('\n');
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(request)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, parts.date), parts.region), parts.service), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** Whether the request's signature matches the one computed with `secretAccessKey`. */
export function signatureMatches(req: IncomingMessage, body: Buffer, parts: SignatureParts, secretAccessKey: string): boolean {
  const expected = expectedSignature(req, body, parts, secretAccessKey);
  return expected !== undefined && timingSafeEqual(Buffer.from(expected), Buffer.from(parts.signature));
}
