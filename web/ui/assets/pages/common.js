// Pieces several pages draw: the deadline and the status of a case.
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { forumName } from '../session.js';

export function deadlineCell(c) {
  if (!c.due_at) return h('span', { class: 'muted' }, 'Ingen frist');
  return h('time', { datetime: c.due_at }, formatDate(c.due_at));
}

export function statusBadges(c) {
  const badges = [];
  if (c.overdue) badges.push(h('span', { class: 'badge badge-overdue' }, 'Overskredet'));
  if (c.escalated) badges.push(h('span', { class: 'badge badge-escalated' }, 'Eskaleret'));
  return badges.length ? badges : h('span', { class: 'muted' }, '–');
}

// A row of a case list: the subject linked to its case, [the forum,] state, deadline,
// status. Overdue rows are tinted.
export function caseRow(c, { withForum }) {
  return h('tr', { class: c.overdue ? 'overdue' : null },
    h('th', { scope: 'row' }, h('a', { href: `/sager/${encodeURIComponent(c.id)}`, 'data-link': true }, c.subject.name)),
    withForum ? h('td', {}, forumName(c.forum_id)) : null,
    h('td', {}, c.state_label),
    h('td', {}, deadlineCell(c)),
    h('td', {}, statusBadges(c)));
}
