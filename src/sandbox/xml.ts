/**
 * Just enough XML writing for the AWS Query protocol: escaping, elements, and a generic
 * serializer for the plain objects the fixture holds (lists as <member>, maps as <entry>).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

/** `<name>text</name>`, escaping the text. Undefined values produce nothing. */
export function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Keys whose string values AWS URL-encodes in IAM responses (policy documents). */
const DOCUMENT_KEYS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/** Encodes a policy document the way IAM returns it: RFC 3986 percent-encoding of the JSON text. */
export function encodePolicyDocument(document: unknown): string {
  if (typeof document === 'string') {
    // Already percent-encoded documents (as saved from the API) pass through untouched.
    return /^\s*%7B/i.test(document) ? document : encodeURIComponent(document);
  }
  return encodeURIComponent(JSON.stringify(document));
}

/**
 * Serializes a plain value under element `name`: arrays become `<member>` children, objects
 * become child elements in key order, Dates become ISO 8601 text. Policy documents are URL-encoded.
 */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (DOCUMENT_KEYS.has(name)) return element(name, encodePolicyDocument(value));
  if (Array.isArray(value)) return `<${name}>${value.map((item) => toXml('member', item)).join('')}</${name}>`;
  if (value instanceof Date) return element(name, isoSeconds(value.getTime()));
  if (typeof value === 'object') {
    let inner = '';
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) inner += toXml(key, child);
    return `<${name}>${inner}</${name}>`;
  }
  return element(name, value as string | number | boolean);
}

/** Serializes a string-keyed map as Query protocol `<entry><key/><value/></entry>` items. */
export function mapToXml(name: string, map: Record<string, string | number>): string {
  let inner = '';
  for (const [key, value] of Object.entries(map)) inner += `<entry>${element('key', key)}${element('value', value)}</entry>`;
  return `<${name}>${inner}</${name}>`;
}

/** ISO 8601 UTC with whole seconds, as AWS writes timestamps in XML: 2026-01-02T03:04:05Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The success envelope of an AWS Query response. */
export function queryResponse(action: string, namespace: string, resultXml: string, requestId: string): string {
  const result = resultXml === '' ? '' : `<${action}Result>${resultXml}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespace}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The error envelope of an AWS Query response, in the service's namespace as AWS writes it. */
export function queryError(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string, namespace?: string): string {
  return (
    `<ErrorResponse${namespace ? ` xmlns="${namespace}"` : ''}><Error>${element('Type', type)}${element('Code', code)}${element('Message', message)}</Error>` +
    `${element('RequestId', requestId)}</ErrorResponse>`
  );
}
