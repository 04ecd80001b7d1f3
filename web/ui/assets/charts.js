// Horizontal bar charts in SVG: one row per label, the value written next to its bar, and
// the figures in the aria-label, so the chart says the same to a screen reader.
import { s } from './dom.js';

const LABEL_W = 190;
const BAR_MAX = 300;
const ROW_H = 30;
const VALUE_W = 70;

export function barChart({ title, rows, format = (v) => String(v), kind = 'default' }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = Math.max(1, rows.length) * ROW_H + 10;
  const width = LABEL_W + BAR_MAX + VALUE_W;
  const description = `${title}: ` + (rows.length
    ? rows.map((r) => `${r.label} ${format(r.value)}`).join(', ')
    : 'ingen tal') + '.';
  return s('svg', { class: ['chart', `chart-${kind}`], role: 'img', 'aria-label': description,
    viewBox: `0 0 ${width} ${height}`, width, height },
  rows.map((r, i) => {
    const y = 5 + i * ROW_H;
    const w = r.value > 0 ? Math.max(2, (r.value / max) * BAR_MAX) : 0;
    return s('g', { class: r.className || null },
      s('text', { x: LABEL_W - 8, y: y + ROW_H / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, r.label),
      s('rect', { x: LABEL_W, y: y + 5, width: w, height: ROW_H - 10, rx: 2 }),
      s('text', { x: LABEL_W + w + 6, y: y + ROW_H / 2, 'dominant-baseline': 'middle', class: 'value' }, format(r.value)));
  }));
}
