import { describe, expect, test } from 'vitest';
import { encodePolicyDocument, isoSeconds, mapToXml, queryError, toXml } from '../../src/sandbox/xml.js';

describe('sandbox XML', () => {
  test('text is escaped; lists become <member>; nested objects keep key order', () => {
    expect(toXml('User', { UserName: 'a&b<c>', GroupList: ['x"y', "o'k"] })).toBe(
      '<User><UserName>a&amp;b&lt;c&gt;</UserName><GroupList><member>x&quot;y</member><member>o&apos;k</member></GroupList></User>',
    );
    expect(toXml('Empty', [])).toBe('<Empty></Empty>');
    expect(toXml('Skip', undefined)).toBe('');
  });

  test('policy documents are URL-encoded once: objects, JSON text, already-encoded text', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const encoded = encodeURIComponent(JSON.stringify(doc));
    expect(encodePolicyDocument(doc)).toBe(encoded);
    expect(encodePolicyDocument(JSON.stringify(doc))).toBe(encoded);
    expect(encodePolicyDocument(encoded)).toBe(encoded);
    expect(toXml('PolicyDocument', doc)).toBe(`<PolicyDocument>${encoded}</PolicyDocument>`);
  });

  test('maps use entry/key/value; times have whole seconds; errors carry type, code and message', () => {
    expect(mapToXml('SummaryMap', { Users: 3 })).toBe('<SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap>');
    expect(isoSeconds(Date.parse('2026-11-27T03:04:05.678Z'))).toBe('2026-11-27T03:04:05Z');
    expect(queryError('Sender', 'NoSuchEntity', 'gone & done', 'r-1')).toBe(
      '<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone &amp; done</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
    );
  });
});
