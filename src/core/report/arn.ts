import { quoteValue } from '../util/shape.js';

/** The parts of an IAM principal ARN that credwarden uses. */
export interface ParsedArn {
  partition: string;
  accountId: string;
  /** 'root', or the resource type such as 'user'. */
  resourceType: string;
  /** IAM path of a user ('/' when none), e.g. '/division/eng/'. */
  path: string;
  /** Last segment of the resource, e.g. the user name. */
  name: string;
}

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):(.+)$/;

const AWS_PREFIX = 'arn:aws:iam::';

/**
 * Whether `arn` is `arn:aws:iam::` + 12 digits + `:` + a resource that ARN_PATTERN's `(.+)$`
 * matches (at least one character, none a line terminator): what nearly every report row holds,
 * read without the regular expression and its match array (this runs for every row).
 */
function commercialResource(arn: string): boolean {
  const at = AWS_PREFIX.length;
  if (arn.length <= at + 13 || !arn.startsWith(AWS_PREFIX) || arn.charCodeAt(at + 12) !== 58) return false; // :
  for (let i = at; i < at + 12; i++) {
    const code = arn.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  for (let i = at + 13; i < arn.length; i++) {
    const code = arn.charCodeAt(i);
    if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) return false;
  }
  return true;
}

/**
 * Splits an IAM ARN such as `arn:aws:iam::123456789012:user/division/eng/alice`.
 * @throws Error with a readable message when the ARN is not an IAM user or root ARN
 */
export function parseArn(arn: string): ParsedArn {
  const fast = commercialResource(arn);
  let partition: string;
  let accountId: string;
  let resource: string;
  if (fast) {
    partition = 'aws';
    accountId = arn.slice(AWS_PREFIX.length, AWS_PREFIX.length + 12);
    resource = arn.slice(AWS_PREFIX.length + 13);
  } else {
    const match = ARN_PATTERN.exec(arn);
    if (!match) throw new Error(`${quoteValue(arn)} is not an IAM ARN (arn:PARTITION:iam::ACCOUNT:...)`);
    [, partition = '', accountId = '', resource = ''] = match;
  }
  if (resource === 'root') return { partition, accountId, resourceType: 'root', path: '/', name: 'root' };
  const slash = resource.indexOf('/');
  const lastSlash = resource.lastIndexOf('/');
  if (slash < 0) throw new Error(`${quoteValue(arn)} has no resource type`);
  return {
    partition,
    accountId,
    resourceType: resource.slice(0, slash),
    path: resource.slice(slash, lastSlash + 1),
    name: resource.slice(lastSlash + 1),
  };
}
