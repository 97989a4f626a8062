/**
 * Progress of a live scan on stderr: a redrawn bar on a terminal, plain lines elsewhere
 * (CI logs), nothing with --quiet. Never prints credentials: only ids, names and reasons.
 */
import { visibleControls } from '../../core/util/escape.js';
import type { AccountEvent, CallCounts } from './collect.js';

/** Where and how to report. */
export interface ProgressOptions {
  write(text: string): void;
  /** Redraw a bar in place (stderr is a terminal). */
  tty: boolean;
  quiet: boolean;
  /** Also print each account's AWS call counts. */
  verbose: boolean;
}

/** Renders `k=v` call counts in a stable order. */
export function formatCalls(calls: CallCounts): string {
  const entries = Object.entries(calls).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `${total} call${total === 1 ? '' : 's'}${entries.length > 0 ? ` (${entries.map(([k, n]) => `${k}=${n}`).join(', ')})` : ''}`;
}

// Names and reasons come from Organizations and from AWS error messages: never raw to the terminal.
function label(id: string, name: string | undefined): string {
  return visibleControls(name ? `${id} (${name})` : id);
}

/** Carriage return and "erase line": redraws the bar in place. */
export const CLEAR_LINE = '\r\x1b[2K';

/** Tracks done/total/failures and prints them. */
export class ScanProgress {
  /** Undefined until the selection is known (streamed --org reports accounts before that). */
  private total: number | undefined;
  private done = 0;
  private failed = 0;
  private skipped = 0;
  private drawn = false;
  /**
   * Lines of accounts that finished before the total was known (a streamed --org listing),
   * held so that "scanning N accounts" comes first; rendered when printed, with the total.
   */
  private held: (() => string)[] | undefined = [];
  private heldDropped = 0;

  constructor(private readonly options: ProgressOptions) {}

  /** Called once the selection is known. */
  start(total: number, skipped: number, warnings: readonly string[]): void {
    this.total = total;
    if (this.options.quiet) return;
    for (const warning of warnings) this.line(`credwarden: warning: ${visibleControls(warning)}`);
    this.line(`credwarden: scanning ${total} account${total === 1 ? '' : 's'}${skipped > 0 ? ` (${skipped} skipped)` : ''}`);
    this.releaseHeld();
    if (this.options.tty && this.done > 0) this.bar();
  }

  /** Prints the held lines (at start, or at finish when the listing never completed). */
  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const render of held) this.line(render());
    if (this.heldDropped > 0) this.line(`credwarden: (${this.heldDropped} more accounts finished while the organisation was listed)`);
  }

  /** Prints an account's line now, or holds it until the total is known. At most 1,000 are held. */
  private report(render: () => string): void {
    if (!this.held) return this.line(render());
    if (this.held.length < 1000) this.held.push(render);
    else this.heldDropped++;
  }

  /** `3/10` for the account that made the count 3; the total is read when the line is printed. */
  private countAt(done: number): () => string {
    return () => (this.total === undefined ? String(done) : `${done}/${this.total}`);
  }

  /** `3/10`, or just `3` while the total is unknown (a streamed --org listing). */
  private get count(): string {
    return this.total === undefined ? String(this.done) : `${this.done}/${this.total}`;
  }

  /** Prints a line without breaking the bar. */
  private line(text: string): void {
    if (this.drawn) this.options.write(CLEAR_LINE);
    this.options.write(`${text}\n`);
    this.drawn = false;
  }

  /** Records one account event. */
  account(event: AccountEvent): void {
    if (event.type === 'skipped') {
      this.skipped++;
      if (!this.options.quiet) {
        const text = `credwarden: skipped ${label(event.outcome.id, event.outcome.name)}: ${visibleControls(event.outcome.reason)}`;
        this.report(() => text);
      }
      return;
    }
    this.done++;
    if (event.type === 'failed') this.failed++;
    if (this.options.quiet) return;
    const id = event.type === 'scanned' ? event.account.id : event.outcome.id;
    const name = event.type === 'scanned' ? event.account.name : event.outcome.name;
    if (event.type === 'failed') {
      const text = `credwarden: failed ${label(id, name)}: ${visibleControls(event.outcome.reason)}`;
      this.report(() => text);
    }
    if (this.options.verbose) {
      const text = `credwarden: ${label(id, name)}: ${formatCalls(event.calls)}`;
      this.report(() => text);
    }
    if (this.options.tty) this.bar();
    else if (this.shouldLog()) {
      const count = this.countAt(this.done);
      const suffix = `${event.type} ${label(id, name)}${this.failed > 0 ? ` (${this.failed} failed so far)` : ''}`;
      this.report(() => `credwarden: [${count()}] ${suffix}`);
    }
  }

  // Large organisations log every 1% in CI, so logs stay readable.
  private shouldLog(): boolean {
    if (this.total === undefined) return true;
    const step = Math.max(1, Math.floor(this.total / 100));
    return this.done % step === 0 || this.done === this.total;
  }

  private bar(): void {
    const width = 30;
    const filled = this.total === undefined ? 0 : this.total === 0 ? width : Math.min(width, Math.round((this.done / this.total) * width));
    // The line reset is its own write: the CLI's stderr guard lets exactly this sequence through.
    this.options.write(CLEAR_LINE);
    this.options.write(
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.count} account${this.total === 1 ? '' : 's'}${this.failed > 0 ? `, ${this.failed} failed` : ''}`,
    );
    this.drawn = true;
  }

  /** Final summary line. */
  finish(scanCalls?: CallCounts): void {
    if (this.options.quiet) return;
    this.releaseHeld();
    if (this.drawn) this.options.write('\n');
    this.drawn = false;
    if (this.options.verbose && scanCalls) this.options.write(`credwarden: scan-level: ${formatCalls(scanCalls)}\n`);
    this.options.write(`credwarden: ${this.done - this.failed} scanned, ${this.failed} failed, ${this.skipped} skipped\n`);
  }
}
