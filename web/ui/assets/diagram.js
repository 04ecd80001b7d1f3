// The workflow as an SVG: the open states in rows by their distance from the initial
// state, the terminal states in a column on the right; forward arrows go down, arrows back
// to an earlier state loop round the left, arrows to an end go right. The current state is
// highlighted. Drawn from the definition, so it cannot drift from what the engine runs.
import { s } from './dom.js';

const NODE_W = 184;
const LINE_H = 17;
const MAX_CHARS = 24; // per line of a state's label, at 14px in a node NODE_W wide
const GAP_X = 36;
const GAP_Y = 48;
const MARGIN = 24;
const LOOP = 56; // room on the left for the arrows that go back
const END_GAP = 90; // between the open states and the column of end states

function depths(workflow) {
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
  return depth;
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
  const depth = depths(workflow);
  const rows = [];
  for (const st of workflow.states.filter((x) => !x.terminal)) (rows[depth.get(st.id) || 0] ||= []).push(st);
  const openRows = rows.filter(Boolean);
  const rowOf = new Map();
  openRows.forEach((row, r) => row.forEach((st) => rowOf.set(st.id, r)));
  const labels = new Map(workflow.states.map((st) => [st.id, wrap(st.label)]));
  const NODE_H = 20 + LINE_H * Math.max(...[...labels.values()].map((l) => l.length));
  const widest = Math.max(1, ...openRows.map((r) => r.length));
  const openWidth = widest * NODE_W + (widest - 1) * GAP_X;
  const endX = MARGIN + LOOP + openWidth + END_GAP;
  const width = endX + NODE_W + MARGIN;
  const pos = new Map();
  openRows.forEach((row, r) => {
    const rowWidth = row.length * NODE_W + (row.length - 1) * GAP_X;
    const x0 = MARGIN + LOOP + (openWidth - rowWidth) / 2;
    row.forEach((st, i) => pos.set(st.id, { x: x0 + i * (NODE_W + GAP_X), y: MARGIN + r * (NODE_H + GAP_Y), row: r }));
  });
  // An end state sits level with the first open state that leads to it, or lower if taken.
  const taken = new Set();
  for (const st of workflow.states.filter((x) => x.terminal)) {
    const from = workflow.transitions.filter((t) => t.to === st.id && rowOf.has(t.from)).map((t) => rowOf.get(t.from));
    let slot = from.length ? Math.min(...from) : 0;
    while (taken.has(slot)) slot += 1;
    taken.add(slot);
    pos.set(st.id, { x: endX, y: MARGIN + slot * (NODE_H + GAP_Y), row: slot, end: true });
  }
  const slots = Math.max(openRows.length, ...[...taken].map((x) => x + 1));
  const height = MARGIN * 2 + slots * NODE_H + (slots - 1) * GAP_Y;

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
    if (b.end) {
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x - 2;
      const y2 = b.y + NODE_H / 2;
      d = `M${x1},${y1} C${x1 + END_GAP / 2},${y1} ${x2 - END_GAP / 2},${y2} ${x2},${y2}`;
    } else if (b.row > a.row) {
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y;
      d = `M${x1},${y1} C${x1},${y1 + GAP_Y / 2} ${x2},${y2 - GAP_Y / 2} ${x2},${y2 - 2}`;
    } else if (b.row === a.row) {
      const right = b.x > a.x;
      const y = a.y + NODE_H / 2;
      d = `M${right ? a.x + NODE_W : a.x},${y} L${right ? b.x - 2 : b.x + NODE_W + 2},${y}`;
    } else {
      const x1 = a.x;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const out = Math.min(x1, x2) - LOOP + 8;
      d = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2 - 2},${y2}`;
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
