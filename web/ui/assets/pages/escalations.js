import { api } from '../api.js';
import { append, h } from '../dom.js';
import { forumName, isCoordinator, session } from '../session.js';
import { caseRow } from './common.js';

export async function escalationsPage(container) {
  append(container, h('h1', {}, 'Eskaleringer'));
  if (!isCoordinator()) {
    append(container, h('p', {}, 'Du er ikke koordinator i noget forum.'));
    return 'Eskaleringer';
  }
  const { items } = await api('GET', '/escalations');
  const byForum = new Map();
  for (const c of items) {
    if (!byForum.has(c.forum_id)) byForum.set(c.forum_id, []);
    byForum.get(c.forum_id).push(c);
  }
  const oldestFirst = (a, b) => (a.due_at || '').localeCompare(b.due_at || '') || a.id.localeCompare(b.id);
  append(container, h('p', { class: 'lead' },
    `${items.length} ${items.length === 1 ? 'sag' : 'sager'} i alt`,
    ' – overskredne eller eskalerede sager i de fora, hvor du er koordinator, ældste frist først.'));
  if (items.length === 0) {
    append(container, h('p', {}, 'Ingen overskredne eller eskalerede sager.'));
    return 'Eskaleringer';
  }
  // Fora in the order of my memberships, so the page looks the same from week to week.
  const order = session.fora.map((f) => f.id).filter((id) => byForum.has(id));
  for (const id of byForum.keys()) if (!order.includes(id)) order.push(id);
  for (const forumId of order) {
    const cases = byForum.get(forumId).sort(oldestFirst);
    const headingId = `forum-${forumId}`;
    append(container, h('section', { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, `${forumName(forumId)} (${cases.length})`),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden' }, `Eskaleringer i ${forumName(forumId)}`),
        h('thead', {}, h('tr', {}, ['Borger', 'Tilstand', 'Frist', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, cases.map((c) => caseRow(c, { withForum: false })))))));
  }
  return 'Eskaleringer';
}
