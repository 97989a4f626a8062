import { describe, expect, it } from 'vitest';
import {
  escapeMarkdownCell,
  escapeWorkflowData,
  escapeWorkflowProperty,
  escapeMarkdownInline,
  escapeXml,
  guardWorkflowCommands,
  markdownCode,
  neutraliseFormula,
  visibleControls,
} from '../../src/core/util/escape.js';

describe('neutraliseFormula (OWASP CSV injection)', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@x', '\tcmd', '\rcmd'])('prefixes %j with a single quote', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['alice', 'dave,ops', '1.14', '', 'a=b', 'two\nlines', 'a\r\nb'])('leaves %j alone', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });

  it.each([
    ['x\n=cmd|calc', "x\n'=cmd|calc"],
    ['x\r\n@SUM(1)', "x\r\n'@SUM(1)"],
    ['x\r+1\n-2', "x\r'+1\n'-2"],
    ['x\n::error::forged', "x\n'::error::forged"],
    ['  ::warning::x', "'  ::warning::x"],
  ])('guards every line of %j, not only the first', (cell, guarded) => {
    expect(neutraliseFormula(cell)).toBe(guarded);
  });
});

describe('visibleControls in reports', () => {
  it.each([
    ['\u001b[2J\u001b]0;pwned\u0007', '\\x1b[2J\\x1b]0;pwned\\x07'],
    ['line\nbreak\r', 'line\\x0abreak\\x0d'],
    ['rlm\u200f and alm\u061c', 'rlm\\u200f and alm\\u061c'],
  ])('shows %j visibly', (text, shown) => {
    expect(visibleControls(text)).toBe(shown);
  });

  it('is applied to Markdown text outside and inside code spans', () => {
    expect(escapeMarkdownInline('a\u001b[31mb')).toBe('a\\\\x1b\\[31mb');
    expect(markdownCode('a\u001bb')).toBe('`a\\x1bb`');
  });
});

describe('guardWorkflowCommands', () => {
  const guard = (chunks: string[]) => [...guardWorkflowCommands(chunks)].join('');

  it('keeps a line from starting with :: even after white space', () => {
    expect(guard(['ok\n::error::x\n  ::set-output name=a::b\n##[error]y\n'])).toBe(
      'ok\n\\x3a:error::x\n  \\x3a:set-output name=a::b\n\\x23#[error]y\n',
    );
  });

  it('sees a line start split across chunks', () => {
    expect(guard(['a\n', ' ', ':', ':warning::x\nb:', ':c\n', '#', '#[x]\narn:aws:iam:', ':1:root\n'])).toBe(
      'a\n \\x3a:warning::x\nb::c\n\\x23#[x]\narn:aws:iam::1:root\n',
    );
  });

  it('leaves other text, and :: inside a line, unchanged', () => {
    const text = '| a | b |\narn:aws:iam::123456789012:root\n:one colon\n';
    expect(guard([text])).toBe(text);
  });
});

describe('escapeMarkdownCell', () => {
  it('keeps a pipe from splitting the cell', () => {
    expect(escapeMarkdownCell('a|b')).toBe('a\\|b');
  });

  it('turns line breaks into <br> so the row stays on one line', () => {
    expect(escapeMarkdownCell('line\nbreak\r\nend')).toBe('line<br>break<br>end');
  });

  it('neutralises HTML and backticks', () => {
    expect(escapeMarkdownCell('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeMarkdownCell('tick`name')).toBe('tick\\`name');
  });

  it('leaves underscores inside words readable but escapes emphasis at word edges', () => {
    expect(escapeMarkdownCell('access_key_1')).toBe('access_key_1');
    expect(escapeMarkdownCell('_x_')).toBe('\\_x\\_');
  });
});

describe('markdownCode', () => {
  it('uses a longer fence than any backtick run inside', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });

  it('escapes pipes for tables', () => {
    expect(markdownCode('a|b')).toBe('`a\\|b`');
  });
});

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in the message so nothing can start a new command', () => {
    expect(escapeWorkflowData('50%\r\n::error::x')).toBe('50%25%0D%0A::error::x');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeWorkflowProperty('rule: a,b')).toBe('rule%3A a%2Cb');
  });
});

describe('escapeXml', () => {
  it('escapes markup and shows control characters and line breaks visibly', () => {
    expect(escapeXml(`<a href="x">'&'\u0001</a>\n::error::x`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;\\x01&lt;/a&gt;\\x0a::error::x',
    );
  });

  it('replaces what XML 1.0 cannot hold (lone surrogates, U+FFFE) with U+FFFD', () => {
    expect(escapeXml('a\uD800b\uFFFEc')).toBe('a\uFFFDb\uFFFDc');
  });
});
