import { api, query } from '../api.js';
import { append, h, replace } from '../dom.js';
import { message } from '../forms.js';
import { session } from '../session.js';
import { caseRow } from './common.js';

// The states to filter by: those of the chosen forum's workflow, or of all my fora's.
function stateOptions(forumId) {
  const workflowIds = new Set(session.fora.filter((f) => !forumId || f.id === forumId).map((f) => f.workflow_id));
  const seen = new Map();
  for (const id of workflowIds) {
    const wf = session.workflows.get(id);
    for (const s of wf ? wf.states : []) if (!seen.has(s.id)) seen.set(s.id, s.label);
  }
  return [...seen].sort((a, b) => a[1].localeCompare(b[1], 'da'));
}

export async function casesPage(container) {
  const params = new URLSearchParams(location.search);
  const filter = {
    forum: params.get('forum') || '',
    state: params.get('state') || '',
    overdue: params.get('overdue') === '1',
    escalated: params.get('escalated') === '1',
  };

  const forumSelect = h('select', { id: 'filter-forum' },
    h('option', { value: '' }, 'Alle mine fora'),
    session.fora.map((f) => h('option', { value: f.id, selected: f.id === filter.forum }, f.name)));
  const stateSelect = h('select', { id: 'filter-state' });
  const fillStates = () => {
    replace(stateSelect, h('option', { value: '' }, 'Alle tilstande'),
      stateOptions(forumSelect.value).map(([id, label]) => h('option', { value: id, selected: id === filter.state }, label)));
  };
  fillStates();
  const overdueBox = h('input', { type: 'checkbox', id: 'filter-overdue', checked: filter.overdue });
  const escalatedBox = h('input', { type: 'checkbox', id: 'filter-escalated', checked: filter.escalated });

  const body = h('tbody');
  const status = h('p', { class: 'result-count', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Vis flere sager');
  const feedback = h('div');
  let cursor = null;

  let shown = 0;
  async function load(reset) {
    feedback.replaceChildren();
    const q = {
      forum_id: filter.forum, state: filter.state,
      overdue: filter.overdue ? 'true' : '', escalated: filter.escalated ? 'true' : '',
      limit: 50, cursor: reset ? '' : cursor,
    };
    try {
      const page = await api('GET', '/cases' + query(q));
      if (reset) {
        body.replaceChildren();
        shown = 0;
      }
      body.append(...page.items.map((c) => caseRow(c, { withForum: true })));
      shown += page.items.length;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      status.textContent = shown === 0 ? 'Ingen sager matcher filtrene.'
        : `Viser ${shown} ${shown === 1 ? 'sag' : 'sager'}${cursor ? ' – der er flere' : ''}.`;
    } catch (e) {
      feedback.append(message('error', e.message));
    }
  }

  const apply = () => {
    filter.forum = forumSelect.value;
    filter.state = stateSelect.value;
    filter.overdue = overdueBox.checked;
    filter.escalated = escalatedBox.checked;
    const q = new URLSearchParams();
    if (filter.forum) q.set('forum', filter.forum);
    if (filter.state) q.set('state', filter.state);
    if (filter.overdue) q.set('overdue', '1');
    if (filter.escalated) q.set('escalated', '1');
    history.replaceState(null, '', '/sager' + (q.toString() ? '?' + q : ''));
    load(true);
  };
  forumSelect.addEventListener('change', () => {
    fillStates();
    apply();
  });
  for (const control of [stateSelect, overdueBox, escalatedBox]) control.addEventListener('change', apply);
  more.addEventListener('click', () => load(false));

  const form = h('form', { class: 'filters', 'aria-label': 'Filtrér sagerne', onsubmit: (e) => { e.preventDefault(); apply(); } },
    h('div', { class: 'field' }, h('label', { for: 'filter-forum' }, 'Forum'), forumSelect),
    h('div', { class: 'field' }, h('label', { for: 'filter-state' }, 'Tilstand'), stateSelect),
    h('div', { class: 'field field-check' }, overdueBox, h('label', { for: 'filter-overdue' }, 'Kun overskredne frister')),
    h('div', { class: 'field field-check' }, escalatedBox, h('label', { for: 'filter-escalated' }, 'Kun eskalerede')));

  const intro = session.me.is_admin && session.me.memberships.length === 0
    ? h('p', {}, 'Som administrator har du ikke adgang til sager. Brugere og fora administreres med kommandoen samspil.')
    : null;

  append(container, 
    h('h1', {}, 'Mine sager'),
    intro, form, feedback, status,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', {}, 'Sager'),
      h('thead', {}, h('tr', {}, ['Borger', 'Forum', 'Tilstand', 'Frist', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
      body)),
    more);
  await load(true);
  return 'Mine sager';
}
