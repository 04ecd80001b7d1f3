import { api } from '../api.js';
import { append, h, replace } from '../dom.js';
import { barChart } from '../charts.js';
import { formatDateTime } from '../format.js';
import { session } from '../session.js';

const days = (v) => `${v.toFixed(1).replace('.', ',')} d`;

// Per-forum figures for a lokalråd or kredsråd meeting: counts and times only, no person.
export async function overviewPage(container) {
  append(container, h('h1', {}, 'Overblik'));
  if (session.fora.length === 0) {
    append(container, h('p', {}, 'Du er ikke medlem af noget forum.'));
    return 'Overblik';
  }
  const wanted = new URLSearchParams(location.search).get('forum');
  const forumId = session.fora.some((f) => f.id === wanted) ? wanted : session.fora[0].id;
  const select = h('select', { id: 'overblik-forum' },
    session.fora.map((f) => h('option', { value: f.id, selected: f.id === forumId }, f.name)));
  const body = h('div', { 'aria-live': 'polite' });
  const draw = async (id) => {
    const st = await api('GET', `/fora/${encodeURIComponent(id)}/stats`);
    const open = st.states.filter((x) => !x.terminal);
    const closed = st.states.filter((x) => x.terminal);
    const decided = st.deadlines.met + st.deadlines.missed;
    const share = decided ? Math.round((st.deadlines.met / decided) * 100) : null;
    replace(body,
      h('p', { class: 'lead' }, `${st.total_cases} ${st.total_cases === 1 ? 'sag' : 'sager'} i alt, `,
        `${open.reduce((n, x) => n + x.cases, 0)} åbne. Opgjort ${formatDateTime(st.generated_at)}.`),
      h('div', { class: 'charts' },
        h('figure', {}, h('figcaption', {}, 'Sager pr. tilstand'),
          barChart({ title: 'Sager pr. tilstand', rows: st.states.map((x) => ({ label: x.label, value: x.cases, className: x.terminal ? 'terminal' : null })) })),
        h('figure', {}, h('figcaption', {}, 'Gennemsnitlig tid i tilstanden (dage)'),
          barChart({ title: 'Gennemsnitlig tid i tilstanden for åbne sager', rows: open.map((x) => ({ label: x.label, value: x.mean_days_in_state })), format: days })),
        h('figure', {}, h('figcaption', {}, 'Frister overholdt'),
          barChart({ title: 'Frister overholdt', kind: 'deadlines', rows: [
            { label: 'Overholdt', value: st.deadlines.met, className: 'met' },
            { label: 'Overskredet', value: st.deadlines.missed, className: 'missed' },
            { label: 'Eskaleringer', value: st.escalations, className: 'missed' },
          ] }),
          h('p', { class: 'hint' }, share === null ? 'Ingen skridt med frist er afsluttet endnu.'
            : `${share} % af de afsluttede skridt med frist blev nået inden fristen.`))),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', {}, 'Tal for forummet'),
        h('thead', {}, h('tr', {}, ['Tilstand', 'Sager', 'Overskredet', 'Eskaleret', 'Gns. dage i tilstanden', 'Længst (dage)']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, st.states.map((x) => h('tr', {},
          h('th', { scope: 'row' }, x.label), h('td', {}, String(x.cases)), h('td', {}, String(x.overdue)),
          h('td', {}, String(x.escalated)),
          h('td', {}, x.terminal ? '–' : days(x.mean_days_in_state)),
          h('td', {}, x.terminal ? '–' : days(x.max_days_in_state))))))),
      closed.length ? h('p', { class: 'hint' }, 'Tid i tilstanden gælder kun åbne sager.') : null);
  };
  select.addEventListener('change', async () => {
    history.replaceState(null, '', `/overblik?forum=${encodeURIComponent(select.value)}`);
    await draw(select.value);
  });
  append(container, 
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'overblik-forum' }, 'Forum'), select)),
    body);
  await draw(forumId);
  return 'Overblik';
}
