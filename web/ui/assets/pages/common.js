// Pieces several pages draw: the deadline and the status of a case.
import { h } from '../dom.js';
import { formatDate } from '../format.js';

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
