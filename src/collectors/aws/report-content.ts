/**
 * GetCredentialReport answers with the whole report as one base64 text node (about 30 KB for an
 * account of 100 users, megabytes for large ones). The SDK's XML parser reads a text node one
 * character at a time and then runs its entity regex over it: measured, that is about half of
 * the SDK's CPU per account of a live scan, and the garbage of the character-by-character
 * string is most of the rest (docs/performance.md, "Live collection CPU").
 *
 * {@link contentLifter} is a middleware at the network end of the deserialize step: on a
 * successful answer whose Content is plain base64 it decodes that text itself (with the same
 * decoder the client is configured with) and hands the SDK the answer without it, so the SDK
 * still parses and checks everything else (GeneratedTime, errors, metadata). Anything unusual
 * (an error status, a comment, CDATA, an entity, a second Content) goes to the SDK unchanged.
 */
import type { DeserializeMiddleware, HttpResponse } from '@smithy/types';

const OPEN = Buffer.from('<Content>');
const CLOSE = Buffer.from('</Content>');
/** `<!--`, `<![CDATA[` and `<!DOCTYPE` all start so: their text is not what it seems to an indexOf. */
const MARKUP_DECLARATION = Buffer.from('<!');
/** The base64 alphabet and XML's whitespace: text the SDK would pass to the decoder unchanged. */
const PLAIN_BASE64 = /^[A-Za-z0-9+/=\t\n\r ]*$/;

/** The client's own readers: its stream collector and its base64 decoder. */
export interface BodyReaders {
  streamCollector: (body: unknown) => Promise<Uint8Array>;
  base64Decoder: (input: string) => Uint8Array;
}

/** Where the lifted Content goes: set for each answer that took the fast path, cleared by the caller. */
export interface LiftedContent {
  content?: Uint8Array;
}

/**
 * The base64 text of the single `<Content>` element of `xml` and the answer without it, or
 * undefined when the answer is not the plain shape (the SDK then parses it as it is).
 */
export function splitContent(xml: Buffer): { base64: string; rest: Buffer } | undefined {
  const open = xml.indexOf(OPEN);
  if (open < 0 || xml.indexOf(MARKUP_DECLARATION) >= 0) return undefined;
  const start = open + OPEN.length;
  const close = xml.indexOf(CLOSE, start);
  if (close < 0 || xml.indexOf(OPEN, start) >= 0) return undefined;
  const base64 = xml.toString('latin1', start, close);
  if (!PLAIN_BASE64.test(base64)) return undefined;
  return { base64, rest: Buffer.concat([xml.subarray(0, start), xml.subarray(close)]) };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The middleware (add it with {@link CONTENT_LIFTER_STEP}): the decoded Content of a 2xx answer
 * goes to `into.content`, and the SDK deserializes the rest, whose Content is then empty.
 */
export function contentLifter<I extends object, O extends object>(readers: BodyReaders, into: LiftedContent): DeserializeMiddleware<I, O> {
  return (next) => async (args) => {
    // Each attempt starts empty: a retried request's answer is this attempt's, never an earlier one's.
    delete into.content;
    const result = await next(args);
    const response = result.response as HttpResponse;
    const body: unknown = response.body;
    const streamed = typeof (body as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function';
    if (response.statusCode < 200 || response.statusCode > 299 || !(body instanceof Uint8Array || streamed)) return result;
    const xml = asBuffer(body instanceof Uint8Array ? body : await readers.streamCollector(body));
    const split = splitContent(xml);
    response.body = split ? split.rest : xml;
    if (split) into.content = readers.base64Decoder(split.base64);
    return result;
  };
}

/** Innermost in the deserialize step: it sees the raw answer of every attempt, before the SDK's deserializer. */
export const CONTENT_LIFTER_STEP = { step: 'deserialize', priority: 'low', name: 'credwardenLiftReportContent' } as const;
