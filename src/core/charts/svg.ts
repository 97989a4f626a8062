/**
 * Accessible SVG bar charts, generated as text (pure, no DOM, no library). Every chart has a
 * title and description for screen readers, a native tooltip and a printed value on each bar,
 * a legend, and a fill pattern per series on top of its colour, so colour is never the only
 * signal. Colours are the Okabe–Ito palette, which stays distinguishable with every common
 * colour-vision deficiency. Pages show a table of the same numbers next to each chart.
 */
import { escapeXml } from '../util/escape.js';

/** Okabe–Ito colours. */
export const PALETTE = {
  vermillion: '#D55E00',
  orange: '#E69F00',
  purple: '#CC79A7',
  blue: '#0072B2',
  sky: '#56B4E9',
  green: '#009E73',
  grey: '#6E6E6E',
  yellow: '#F0E442',
} as const;

/** A fill pattern drawn over a series' colour. */
export type Pattern = 'solid' | 'diagonal' | 'dots' | 'cross' | 'horizontal' | 'vertical';

/** One stacked (or single) series of a bar chart. */
export interface Series {
  name: string;
  color: string;
  pattern: Pattern;
  values: readonly number[];
}

/** A bar chart: one bar per category, the series stacked in it. */
export interface BarChart {
  /** Unique among the charts of one page (pattern ids derive from it). */
  id: string;
  title: string;
  /** One or two sentences a screen reader reads instead of the picture. */
  description: string;
  categories: readonly string[];
  series: readonly Series[];
  /** Bars grow to the right (long category labels, e.g. accounts) or upwards (time, buckets). */
  horizontal?: boolean;
  /** A labelled line between two categories, e.g. the rotation threshold: drawn before category `beforeIndex`. */
  marker?: { beforeIndex: number; label: string };
  /** Label of the value axis. */
  valueLabel: string;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function patternDef(id: string, color: string, pattern: Pattern): string {
  const line = (d: string) => `<path d="${d}" stroke="#000" stroke-opacity="0.55" stroke-width="1.5"/>`;
  const shapes: Record<Pattern, string> = {
    solid: '',
    diagonal: line('M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6'),
    dots: '<circle cx="4" cy="4" r="1.6" fill="#000" fill-opacity="0.55"/>',
    cross: line('M0,0 L8,8 M8,0 L0,8'),
    horizontal: line('M0,4 L8,4'),
    vertical: line('M4,0 L4,8'),
  };
  return `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${color}"/>${shapes[pattern]}</pattern>`;
}

/** Round numbers for the value axis: 0, step, 2·step … ≥ max. */
function ticks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // Counts are whole numbers: never a step below 1.
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough);
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

function clipLabel(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

function legend(chart: BarChart, x: number, y: number): string {
  return chart.series
    .map((s, i) => {
      const left = x + i * 120;
      return `<g transform="translate(${left},${y})"><rect width="14" height="14" fill="url(#${chart.id}-p${i})" stroke="#000" stroke-width="0.5"/><text x="20" y="11" ${FONT}>${escapeXml(clipLabel(s.name, 14))}</text></g>`;
    })
    .join('');
}

/** Sum of every series at category `i`. */
function total(chart: BarChart, i: number): number {
  return chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
}

function barTitle(chart: BarChart, category: string, series: Series, value: number): string {
  return `<title>${escapeXml(`${category}: ${value} ${series.name}`)}</title>`;
}

/** Width of one character of the chart font, in px, generously (DejaVu Sans, a common fallback, is wide): sizes label columns. */
const CHAR_WIDTH = 7.6;

/**
 * A category label in at most two lines of `maxChars`: `name (id)` breaks before the id, so an
 * account's name and id both show; a line still too long is clipped, and the full label is the
 * label's tooltip (and in the chart's table).
 */
export function labelLines(text: string, maxChars: number): string[] {
  if (Array.from(text).length <= maxChars) return [text];
  const at = text.lastIndexOf(' (');
  const lines = at > 0 ? [text.slice(0, at), text.slice(at + 1)] : [text];
  return lines.map((line) => clipLabel(line, maxChars));
}

function horizontalBars(chart: BarChart, width: number): { body: string; height: number } {
  // The label column grows with the longest label (up to half the chart), so names are not cut.
  const longest = Math.max(8, ...chart.categories.map((c) => Math.max(...labelLines(c, 200).map((l) => Array.from(l).length))));
  const labelWidth = Math.round(Math.min(width * 0.5, Math.max(120, longest * CHAR_WIDTH + 12)));
  const maxChars = Math.round((labelWidth - 12) / CHAR_WIDTH);
  const labels = chart.categories.map((c) => labelLines(c, maxChars));
  const rowHeight = labels.some((l) => l.length > 1) ? 34 : 24;
  const plot = width - labelWidth - 50;
  const max = Math.max(1, ...chart.categories.map((_, i) => total(chart, i)));
  const scale = ticks(max);
  const top = scale[scale.length - 1] as number;
  const parts: string[] = [];
  chart.categories.forEach((category, i) => {
    const y = 10 + i * rowHeight;
    const lines = labels[i] ?? [category];
    const first = y + (lines.length > 1 ? 9 : 15);
    const tspans = lines.map((line, n) => `<tspan x="${labelWidth - 6}" y="${first + n * 14}">${escapeXml(line)}</tspan>`).join('');
    parts.push(`<text text-anchor="end" ${FONT}><title>${escapeXml(category)}</title>${tspans}</text>`);
    let x = labelWidth;
    const barY = y + (rowHeight - 24) / 2;
    chart.series.forEach((s, si) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return;
      const w = (value / top) * plot;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barY}" width="${w.toFixed(1)}" height="18" fill="url(#${chart.id}-p${si})" stroke="#fff" stroke-width="0.5">${barTitle(chart, category, s, value)}</rect>`,
      );
      x += w;
    });
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${barY + 14}" ${FONT}>${total(chart, i)}</text>`);
  });
  const axisY = 10 + chart.categories.length * rowHeight;
  for (const t of scale) {
    const x = labelWidth + (t / top) * plot;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="6" x2="${x.toFixed(1)}" y2="${axisY}" stroke="#000" stroke-opacity="0.12"/><text x="${x.toFixed(1)}" y="${axisY + 14}" text-anchor="middle" ${FONT}>${t}</text>`,
    );
  }
  parts.push(`<text x="${labelWidth + plot / 2}" y="${axisY + 30}" text-anchor="middle" ${FONT}>${escapeXml(chart.valueLabel)}</text>`);
  return { body: parts.join(''), height: axisY + 40 };
}

function verticalBars(chart: BarChart, width: number): { body: string; height: number } {
  const left = 50;
  const plotHeight = 180;
  // Room above the plot for the value of the tallest bar and the marker's label.
  const top = 26;
  const plotWidth = width - left - 10;
  const slot = plotWidth / Math.max(1, chart.categories.length);
  const barWidth = Math.max(4, Math.min(60, slot * 0.7));
  const max = Math.max(1, ...chart.categories.map((_, i) => total(chart, i)));
  const scale = ticks(max);
  const high = scale[scale.length - 1] as number;
  const y = (v: number) => top + plotHeight - (v / high) * plotHeight;
  const parts: string[] = [];
  for (const t of scale)
    parts.push(
      `<line x1="${left}" y1="${y(t).toFixed(1)}" x2="${width - 10}" y2="${y(t).toFixed(1)}" stroke="#000" stroke-opacity="0.12"/><text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" ${FONT}>${t}</text>`,
    );
  const labelEvery = Math.max(1, Math.ceil(chart.categories.length / Math.max(1, Math.floor(plotWidth / 70))));
  chart.categories.forEach((category, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    chart.series.forEach((s, si) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return;
      const y1 = y(base + value);
      const h = y(base) - y1;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="url(#${chart.id}-p${si})" stroke="#fff" stroke-width="0.5">${barTitle(chart, category, s, value)}</rect>`,
      );
      base += value;
    });
    parts.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y(base) - 4).toFixed(1)}" text-anchor="middle" ${FONT}>${base}</text>`);
    if (i % labelEvery === 0)
      parts.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" ${FONT}>${escapeXml(clipLabel(category, 12))}</text>`,
      );
  });
  if (chart.marker) {
    const mx = left + chart.marker.beforeIndex * slot;
    parts.push(
      `<line x1="${mx.toFixed(1)}" y1="${top - 8}" x2="${mx.toFixed(1)}" y2="${top + plotHeight}" stroke="#000" stroke-width="2" stroke-dasharray="6 3"/><text x="${(mx + 4).toFixed(1)}" y="${top - 12}" ${FONT} font-weight="bold">${escapeXml(chart.marker.label)}</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#000"/>`);
  parts.push(
    `<text transform="translate(12,${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" ${FONT}>${escapeXml(chart.valueLabel)}</text>`,
  );
  return { body: parts.join(''), height: top + plotHeight + 30 };
}

/** The chart as an inline `<svg>` element (no external reference of any kind). */
export function barChartSvg(chart: BarChart, width = 640): string {
  const defs = chart.series.map((s, i) => patternDef(`${chart.id}-p${i}`, s.color, s.pattern)).join('');
  const { body, height } = chart.horizontal ? horizontalBars(chart, width) : verticalBars(chart, width);
  const legendY = height + 6;
  const full = legendY + 24;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${full}" width="100%" role="img" aria-labelledby="${chart.id}-t ${chart.id}-d">` +
    `<title id="${chart.id}-t">${escapeXml(chart.title)}</title><desc id="${chart.id}-d">${escapeXml(chart.description)}</desc>` +
    `<defs>${defs}</defs>${body}${legend(chart, 50, legendY)}</svg>`
  );
}
