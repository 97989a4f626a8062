/**
 * A report file written while the scan runs. A report whose head does not depend on the run
 * (`ReportSink.fixedHead`: the CSV reports) can take each account as soon as no account before it
 * in account-id order can still come: the accounts of an offline scan come nearly in that order
 * (the reports are handed out in it), so most of the file is written while the worker threads
 * are still busy, instead of on one thread after they finish. The spool keeps every account
 * whatever happens here: if an account comes that belongs before one already written (a report
 * whose rows name another account than its first look showed), the file is written whole at the
 * end, as without this, so the bytes never depend on it.
 */
import { ByteBatch, writeAll } from './byte-batch.js';
import { discardStarted, type StartedFile } from './io.js';
import { accountOrder, spooledBytes, spoolReadBuffer, type Spool, type SpoolEntry } from './spool.js';

/** Bytes gathered before a write to the file. */
const WRITE_BATCH = 1 << 18;

export class EarlyFile {
  /** The accounts written, in order. */
  private readonly written: SpoolEntry[] = [];
  /** Accounts spooled and not yet written. */
  private pending: SpoolEntry[] = [];
  /** How many of the spool's accounts have been taken into `pending`. */
  private taken = 0;
  /** An account came after a later one was written: the file is written whole at the end. */
  private outOfOrder = false;
  private readonly batch: ByteBatch;
  /**
   * What the spooled accounts are read back through, at every advance: a new buffer each time
   * (1 MiB, about one per report and file) was garbage that piled up on the main thread, whose
   * heap is too small to collect often (arrayBuffers 5 to 48 MiB in the 1,000,500-principal scan).
   */
  private readonly readBuffer = spoolReadBuffer();

  constructor(
    readonly file: StartedFile,
    private readonly spool: Spool,
    private readonly separator: string,
    head: Iterable<string>,
  ) {
    this.batch = new ByteBatch(WRITE_BATCH, (bytes) => writeAll(file.fd, bytes));
    for (const piece of head) this.batch.add(piece);
    this.batch.end();
  }

  /**
   * Writes the accounts spooled so far that come before `frontier` in account-id order (every
   * one when undefined): no account before the frontier is still to come.
   */
  advance(frontier: string | undefined): void {
    if (this.outOfOrder) return;
    const spooled = this.spool.accounts;
    for (; this.taken < spooled.length; this.taken++) this.pending.push(spooled[this.taken] as SpoolEntry);
    if (this.pending.length === 0) return;
    this.pending.sort(accountOrder);
    let ready = 0;
    while (ready < this.pending.length && (frontier === undefined || (this.pending[ready] as SpoolEntry).id.localeCompare(frontier) < 0))
      ready++;
    if (ready === 0) return;
    const next = this.pending.slice(0, ready);
    this.pending = this.pending.slice(ready);
    const last = this.written[this.written.length - 1];
    if (last && accountOrder(next[0] as SpoolEntry, last) <= 0) {
      this.outOfOrder = true;
      return;
    }
    for (const bytes of spooledBytes(next, this.separator, this.written.length > 0, this.readBuffer)) this.batch.add(bytes);
    this.batch.end();
    this.written.push(...next);
  }

  /**
   * How many accounts of the report's order (`ordered`: every account, in account-id order) the
   * file holds already; undefined when what it holds is not the start of that order (the file is
   * then to be written whole).
   */
  writtenOf(ordered: readonly SpoolEntry[]): number | undefined {
    if (this.outOfOrder) return undefined;
    return this.written.every((entry, i) => ordered[i] === entry) ? this.written.length : undefined;
  }

  /** Removes the file (the scan failed, or it is written whole instead). */
  discard(): void {
    discardStarted(this.file);
  }
}
