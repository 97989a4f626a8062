/**
 * A report that is a JSON array of records, one per line (ASFF, OCSF), written account by
 * account: each account's records are its chunk, and records that need the whole run (the
 * tallies, or a time only known at the end) come after the last account.
 */
import type { AccountSlice, Tallies } from '../pipeline/types.js';
import type { ReportSink, SinkState } from './types.js';

/** Where a record array's records come from. */
export interface RecordSource {
  /** The records of one account: a pure function of the slice (and what the source was opened with). */
  account(slice: AccountSlice): Iterable<unknown>;
  /** Records written after every account, once the tallies are known (none by default). */
  end?(tallies: Tallies): Iterable<unknown>;
  /** What the source keeps between accounts (see SinkState); a source that keeps nothing has none. */
  state?: SinkState;
}

const SEPARATOR = ',\n';

/**
 * A JSON array (`[`, one record per line, `]`; `[]` when there is none) whose records come
 * from `source`. Its own state is the count of records written, so the array can be closed.
 */
export function recordArraySink(source: RecordSource): ReportSink {
  let written = 0;
  return {
    separator: SEPARATOR,
    account(slice) {
      const chunks: string[] = [];
      for (const record of source.account(slice)) chunks.push(`${chunks.length > 0 ? SEPARATOR : ''}${JSON.stringify(record)}`);
      written += chunks.length;
      return chunks;
    },
    end(tallies) {
      const rest = (source.end?.(tallies) ?? [])[Symbol.iterator]();
      // One record is read ahead: the array's opening depends on whether it is empty.
      const first = rest.next();
      if (written === 0 && first.done) return { head: ['[]\n'] };
      return { head: ['[\n'], tail: closing(first, rest, written > 0) };
    },
    state: {
      save: () => ({ written, source: source.state?.save() }),
      absorb(saved) {
        const other = saved as { written: number; source: unknown };
        written += other.written;
        source.state?.absorb(other.source);
      },
    },
  };
}

function* closing(first: IteratorResult<unknown>, rest: Iterator<unknown>, afterAccounts: boolean): Generator<string> {
  let next = first;
  let separate = afterAccounts;
  while (!next.done) {
    yield `${separate ? SEPARATOR : ''}${JSON.stringify(next.value)}`;
    separate = true;
    next = rest.next();
  }
  yield '\n]\n';
}
