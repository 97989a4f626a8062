import { describe, expect, it } from 'vitest';
import {
  escapeMarkdownCell,
  escapeWorkflowData,
  escapeWorkflowProperty,
  escapeXml,
  markdownCode,
  neutraliseFormula,
} from '../../src/core/format/escape.js';

describe('neutraliseFormula (OWASP CSV injection)', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@x', '\tcmd', '\rcmd'])('prefixes %j with a single quote', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['alice', 'dave,ops', '1.14', '', 'a=b'])('leaves %j alone', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
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
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">'&'\u0001</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
