/**
 * Paging through AWS list calls with the SDK's paginators (`paginateListAccounts`,
 * `paginateGetAccountAuthorizationDetails`, …) instead of hand-written token loops. They send
 * through the same client, so the read-only allow-list, retries, throttling and call counts
 * apply to every page. Measured against the loops they replaced (docs/performance.md): no
 * difference beyond noise.
 */
import type { PaginationConfiguration } from '@smithy/types';

type PageCommand = Parameters<NonNullable<PaginationConfiguration['withCommand']>>[0];

/**
 * The paginator configuration for `client`. The SDK's paginators reuse one input object and
 * write each next token into it, so every command already sent would show the latest token
 * (to a debugger, a log or a test's record of calls); each page's command gets its own copy.
 */
export function pagination<C>(client: C): { client: C; withCommand: (command: PageCommand) => PageCommand } {
  return { client, withCommand: withOwnInput };
}

function withOwnInput(command: PageCommand): PageCommand {
  const Rebuilt = command.constructor as new (input: object) => PageCommand;
  return new Rebuilt({ ...(command.input as object) });
}

/** Every item of every page. Pages may be empty: Organizations returns empty pages with a NextToken. */
export async function allItems<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/**
 * IAM's pages, up to the first one whose `IsTruncated` is not true. IsTruncated is IAM's
 * contract (a Marker means something only when it is true), while the SDK's IAM paginators go
 * on as long as a Marker is present: an endpoint that sends a Marker on its last page would be
 * asked again.
 */
export async function* untilComplete<P extends { IsTruncated?: boolean }>(pages: AsyncIterable<P>): AsyncGenerator<P> {
  for await (const page of pages) {
    yield page;
    if (page.IsTruncated !== true) return;
  }
}
