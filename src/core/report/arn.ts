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

/**
 * Splits an IAM ARN such as `arn:aws:iam::123456789012:user/division/eng/alice`.
 * @throws Error with a readable message when the ARN is not an IAM user or root ARN
 */
export function parseArn(arn: string): ParsedArn {
  const match = ARN_PATTERN.exec(arn);
  if (!match) throw new Error(`${quoteValue(arn)} is not an IAM ARN (arn:PARTITION:iam::ACCOUNT:...)`);
  const [, partition = '', accountId = '', resource = ''] = match;
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
