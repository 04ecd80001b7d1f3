// The workflow as an SVG: states in rows by their distance from the initial state,
// transitions as arrows (forward down, backward around the side), the current state
// highlighted. Drawn from the definition, so it cannot drift from what the engine runs.
import { s } from './dom.js';

const NODE_W = 184;
const LINE_H = 17;
const MAX_CHARS = 24; // per line of a state's label, at 14px in a node NODE_W wide
const GAP_X = 36;
const GAP_Y = 56;
const MARGIN = 28;

function layers(workflow) {
  const depth = new Map([[workflow.initial, 0]]);
  const queue = [workflow.initial];
  while (queue.length) {
    const from = queue.shift();
    for (const t of workflow.transitions) {
      if (t.from === from && !depth.has(t.to)) {
        depth.set(t.to, depth.get(from) + 1);
        queue.push(t.to);
      }
    }
  }
  const rows = [];
  for (const state of workflow.states) {
    const d = depth.has(state.id) ? depth.get(state.id) : 0;
    (rows[d] ||= []).push(state);
  }
  return rows.filter(Boolean);
}

// A label in lines of at most MAX_CHARS, broken between words.
function wrap(label) {
  const lines = [];
  for (const word of label.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= MAX_CHARS) lines[lines.length - 1] = last + ' ' + word;
    else lines.push(word);
  }
  return lines;
}

export function workflowDiagram(workflow, currentState) {
  const rows = layers(workflow);
  const labels = new Map(workflow.states.map((st) => [st.id, wrap(st.label)]));
  const NODE_H = 20 + LINE_H * Math.max(...[...labels.values()].map((l) => l.length));
  const widest = Math.max(...rows.map((r) => r.length));
  const width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X + 60;
  const height = MARGIN * 2 + rows.length * NODE_H + (rows.length - 1) * GAP_Y;
  const pos = new Map();
  rows.forEach((row, r) => {
    const rowWidth = row.length * NODE_W + (row.length - 1) * GAP_X;
    const x0 = (width - 60 - rowWidth) / 2;
    row.forEach((state, i) => {
      pos.set(state.id, { x: x0 + i * (NODE_W + GAP_X), y: MARGIN + r * (NODE_H + GAP_Y), row: r });
    });
  });

  const markerId = `pil-${workflow.id}`;
  const edges = [];
  const seen = new Set();
  for (const t of workflow.transitions) {
    if (t.from === t.to || seen.has(`${t.from}>${t.to}`)) continue; // side actions keep the state
    seen.add(`${t.from}>${t.to}`);
    const a = pos.get(t.from);
    const b = pos.get(t.to);
    if (!a || !b) continue;
    let d;
    if (b.row > a.row) {
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y;
      d = `M${x1},${y1} C${x1},${y1 + GAP_Y / 2} ${x2},${y2 - GAP_Y / 2} ${x2},${y2 - 2}`;
    } else if (b.row === a.row) {
      // within a row: straight across, between the facing sides
      const right = b.x > a.x;
      const x1 = right ? a.x + NODE_W : a.x;
      const x2 = right ? b.x - 2 : b.x + NODE_W + 2;
      const y = a.y + NODE_H / 2;
      d = `M${x1},${y} L${x2},${y}`;
    } else {
      // back to an earlier row: around the right-hand side
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x + NODE_W;
      const y2 = b.y + NODE_H / 2;
      const out = Math.max(x1, x2) + 40;
      d = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2 + 2},${y2}`;
    }
    edges.push(s('path', { d, class: 'edge', 'marker-end': `url(#${markerId})` },
      s('title', {}, `${t.label}`)));
  }

  const nodes = workflow.states.map((state) => {
    const p = pos.get(state.id);
    const current = state.id === currentState;
    return s('g', {
      class: ['state', current && 'current', state.terminal && 'terminal'],
      'data-state': state.id,
      'data-current': current ? 'true' : null,
    },
    s('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: state.terminal ? 22 : 6 }),
    labels.get(state.id).map((line, i, all) => s('text', {
      x: p.x + NODE_W / 2,
      y: p.y + NODE_H / 2 + (i - (all.length - 1) / 2) * LINE_H,
      'dominant-baseline': 'middle', 'text-anchor': 'middle',
    }, line)));
  });

  const currentLabel = (workflow.states.find((x) => x.id === currentState) || {}).label;
  const description = `Arbejdsgangen ${workflow.name} med tilstandene ${workflow.states.map((x) => x.label).join(', ')}.`
    + (currentLabel ? ` Sagen er nu i tilstanden ${currentLabel}, som er fremhævet.` : '');
  return s('svg', {
    class: 'diagram', role: 'img', 'aria-label': description,
    viewBox: `0 0 ${width} ${height}`, width, height, preserveAspectRatio: 'xMidYMin meet',
  },
  s('defs', {}, s('marker', { id: markerId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }))),
  edges, nodes);
}
