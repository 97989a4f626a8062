import { describe, expect, it } from 'vitest';
import { neutraliseWorkflowCommands, terminalText, visibleControls } from '../../src/core/util/escape.js';
import { safeShape } from '../../src/core/util/shape.js';
import { run } from '../../src/cli/run.js';
import type { CliIO } from '../../src/cli/io.js';

describe('visibleControls', () => {
  it.each([
    ['ESC (ANSI)', 'a\x1b[31mred', 'a\\x1b[31mred'],
    ['BEL', 'ding\x07', 'ding\\x07'],
    ['NUL', 'a\x00b', 'a\\x00b'],
    ['CR', 'over\rwrite', 'over\\x0dwrite'],
    ['DEL', 'x\x7f', 'x\\x7f'],
    ['C1 CSI', 'x\u009b31m', 'x\\x9b31m'],
    ['bidi override', 'txt\u202egpj.exe', 'txt\\u202egpj.exe'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
  ])('renders %s visibly', (_, input, expected) => {
    expect(visibleControls(input)).toBe(expected);
  });

  it('keeps tabs, and line feeds only when asked', () => {
    expect(visibleControls('a\tb\nc')).toBe('a\tb\\x0ac');
    expect(visibleControls('a\tb\nc', true)).toBe('a\tb\nc');
  });

  it('leaves ordinary text, including non-ASCII letters, alone', () => {
    expect(visibleControls('José Müller 東京 +=,.@_-')).toBe('José Müller 東京 +=,.@_-');
  });
});

describe('neutraliseWorkflowCommands', () => {
  it.each(['::add-mask::x', '  ::set-env name=A::b', '##[error]x'])('defuses %j at a line start', (line) => {
    const out = neutraliseWorkflowCommands(`ok\n${line}`);
    expect(out.split('\n')[1]?.trimStart().startsWith('::')).toBe(false);
    expect(out.split('\n')[1]?.trimStart().startsWith('##[')).toBe(false);
  });

  it('leaves :: inside a line alone', () => {
    expect(neutraliseWorkflowCommands('arn:aws:iam::123456789012:root')).toBe('arn:aws:iam::123456789012:root');
  });

  it('terminalText does both', () => {
    expect(terminalText('x\n::error::\x1b[2J')).toBe('x\n\\x3a:error::\\x1b[2J');
  });
});

describe('safeShape', () => {
  it('describes a secret without repeating it', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const shape = safeShape(secret);
    expect(shape).toBe('40 characters (letters, digits, symbols)');
    expect(shape).not.toContain('wJal');
  });
});

describe('stderr guard of the CLI', () => {
  it('renders control characters of an error message visibly and defuses workflow commands', async () => {
    let stderr = '';
    const io: CliIO = {
      stdout: () => {},
      stderr: (t) => void (stderr += t),
      env: {},
      cwd: process.cwd(),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      now: () => new Date('2026-11-02T00:00:00Z'),
    };
    const code = await run(['scan', '--from', 'no-such-\x1b[31m-dir\n::add-mask::x'], io);
    expect(code).toBe(2);
    expect(stderr).not.toContain('\x1b');
    expect(stderr).toContain('\\x1b[31m');
    expect(stderr.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
  });
});
