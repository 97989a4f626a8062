/**
 * Runs the `credwarden` binary as a user would (`node bin/credwarden.js …`, a child process
 * using dist/) and measures the process: wall time and peak resident set size.
 *
 * Peak RSS is the kernel's high-water mark of the child (VmHWM in /proc/PID/status), read
 * every few milliseconds while it runs: the kernel keeps the peak itself, so sampling only
 * risks missing growth in the last interval before exit. Off Linux it is reported as null.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../src/collectors/files/package-root.js';

/** What one run of the binary measured. */
export interface BinaryRun {
  argv: string[];
  exitCode: number;
  seconds: number;
  /** Peak RSS of the credwarden process, MiB; null where /proc is not available. */
  peakRssMb: number | null;
  /**
   * CPU time of the process (user + system, every thread), seconds; null where /proc is not
   * available. Unlike wall time it barely depends on the machine's load, so runs on a busy
   * machine can be compared by it.
   */
  cpuSeconds: number | null;
  /** The end of stderr, for reports of failed runs. */
  stderrTail: string;
}

const POLL_MS = 10;
const STDERR_TAIL = 2000;

function highWaterMarkKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // exited, or not Linux
  }
}

// /proc reports CPU time in clock ticks of USER_HZ, which Linux fixes at 100 per second.
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of the process so far (fields 14 and 15 of /proc/PID/stat), in seconds. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined; // exited, or not Linux
  }
}

/** Runs `credwarden ARGV…` to completion. `env` is added to a minimal environment (no AWS settings leak in). */
export function runCredwarden(argv: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<BinaryRun> {
  const bin = join(packageRoot(), 'bin', 'credwarden.js');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...options.env };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...argv], { cwd: options.cwd ?? packageRoot(), env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    let peakKb: number | undefined;
    // The last sample before exit: at most one poll interval of CPU is missed.
    let cpuSeconds: number | undefined;
    const poll = setInterval(() => {
      const kb = child.pid !== undefined ? highWaterMarkKb(child.pid) : undefined;
      if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb);
      const cpu = child.pid !== undefined ? cpuSecondsOf(child.pid) : undefined;
      if (cpu !== undefined) cpuSeconds = cpu;
    }, POLL_MS);
    child.once('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearInterval(poll);
      resolve({
        argv,
        exitCode: code ?? (signal ? 128 : -1),
        seconds: (performance.now() - started) / 1000,
        peakRssMb: peakKb === undefined ? null : Math.round((peakKb / 1024) * 10) / 10,
        cpuSeconds: cpuSeconds === undefined ? null : Math.round(cpuSeconds * 100) / 100,
        stderrTail: stderr.trim(),
      });
    });
  });
}
