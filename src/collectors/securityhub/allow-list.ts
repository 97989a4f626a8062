/**
 * The publish guarantee: the Security Hub client of `credwarden publish securityhub` may send
 * only the two finding-provider writes below, and its STS client only what assuming the
 * publishing role needs. Anything else is refused before the request is built or signed.
 * `scan` never builds these clients: its own allow-list (collectors/aws/allow-list.ts) has no
 * write at all.
 */
import type { Client, MetadataBearer } from '@smithy/types';
import { allowListPlugin } from '../aws/allow-list.js';

/** Operations `publish securityhub` may send, by service. */
export const PUBLISH_OPERATIONS = {
  securityhub: ['BatchImportFindings', 'BatchUpdateFindings'],
  sts: ['GetCallerIdentity', 'AssumeRole'],
} as const satisfies Record<string, readonly string[]>;

/** Thrown (and never sent) when code tries an operation outside the publish allow-list. */
export class PublishViolation extends Error {
  constructor(readonly operation: string) {
    super(`credwarden refused to send ${operation}: publish may only call ${PUBLISH_OPERATIONS.securityhub.join(' and ')}`);
    this.name = 'PublishViolation';
  }
}

/** Restricts a client to `service`'s publish operations and returns it. */
export function enforcePublishAllowList<C extends Client<object, MetadataBearer, unknown>>(
  client: C,
  service: keyof typeof PUBLISH_OPERATIONS,
): C {
  client.middlewareStack.use(
    allowListPlugin(new Set(PUBLISH_OPERATIONS[service]), (operation) => new PublishViolation(operation), 'credwardenPublishAllowList'),
  );
  return client;
}
