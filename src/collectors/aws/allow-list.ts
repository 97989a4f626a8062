/**
 * The read-only guarantee: every AWS client credwarden creates carries a middleware
 * that refuses any operation not on this list *before* the request is built or signed.
 * The only operations that change anything are GenerateCredentialReport and
 * GenerateServiceLastAccessedDetails, which only start IAM's own report jobs.
 */
import type {
  Client,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';

/** Operations credwarden may send, by service. */
export const ALLOWED_OPERATIONS = {
  sts: ['GetCallerIdentity', 'AssumeRole'],
  organizations: [
    'DescribeOrganization',
    'ListAccounts',
    'ListRoots',
    'ListOrganizationalUnitsForParent',
    'ListAccountsForParent',
    'DescribeAccount',
    'ListParents',
    'DescribeOrganizationalUnit',
    // Recovery-path analysis (authorization.ts): the SCPs that apply to an account.
    'ListPoliciesForTarget',
    'DescribePolicy',
  ],
  iam: [
    'GetCredentialReport',
    'GenerateCredentialReport',
    'GetAccountSummary',
    'ListVirtualMFADevices',
    'GetAccountPasswordPolicy',
    'ListOrganizationsFeatures',
    'GetAccountAuthorizationDetails',
    // Credentials the credential report leaves out (credentials.ts), each read only when a rule needs it.
    'ListServerCertificates',
    'ListServiceSpecificCredentials',
    'ListSSHPublicKeys',
    // Whether an SSH key's owner still uses CodeCommit (last-accessed.ts): the Generate call only
    // starts IAM's access-advisor report job; IAMReadOnlyAccess grants both.
    'GenerateServiceLastAccessedDetails',
    'GetServiceLastAccessedDetails',
  ],
} as const satisfies Record<string, readonly string[]>;

/** Every allowed operation name (without the service). */
export const ALLOWED_OPERATION_NAMES: ReadonlySet<string> = new Set(Object.values(ALLOWED_OPERATIONS).flat());

/** Thrown (and never sent) when code tries an operation outside the allow-list. */
export class ReadOnlyViolation extends Error {
  constructor(readonly operation: string) {
    super(`credwarden refused to send ${operation}: only read operations (and GenerateCredentialReport) are allowed`);
    this.name = 'ReadOnlyViolation';
  }
}

/** The operation name of a command context, e.g. `GetCredentialReportCommand` → `GetCredentialReport`. */
export function operationName(context: HandlerExecutionContext): string {
  return String(context.commandName ?? '').replace(/Command$/, '');
}

/**
 * A middleware plugin that throws `refuse(operation)` for any command whose operation is not in
 * `allowed`, before the request is built or signed. Shared by scan's read-only guard and
 * publish's write allow-list, so both refuse in the same place in the stack.
 */
export function allowListPlugin(
  allowed: ReadonlySet<string>,
  refuse: (operation: string) => Error,
  name: string,
): Pluggable<object, MetadataBearer> {
  return {
    applyToStack(stack) {
      stack.add(
        (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: InitializeHandlerArguments<object>) => {
            const operation = operationName(context);
            if (!allowed.has(operation)) throw refuse(operation);
            return next(args);
          },
        { step: 'initialize', name, priority: 'high', override: true },
      );
    },
  };
}

/** A plugin that rejects any command whose operation is not allowed. */
export const readOnlyPlugin = allowListPlugin(
  ALLOWED_OPERATION_NAMES,
  (operation) => new ReadOnlyViolation(operation),
  'credwardenReadOnly',
);

/** Adds the read-only guard to a client and returns it. */
export function enforceReadOnly<C extends Client<object, MetadataBearer, unknown>>(client: C): C {
  client.middlewareStack.use(readOnlyPlugin);
  return client;
}
