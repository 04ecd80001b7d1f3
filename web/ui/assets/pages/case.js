import { api, ApiError } from '../api.js';
import { append, h } from '../dom.js';
import { fieldSet, labelFor, refusalMessage } from '../forms.js';
import { formatDate, formatDateTime, optionLabel, roleLabel } from '../format.js';
import { render, setFlash } from '../router.js';
import { forumName, session } from '../session.js';
import { workflowDiagram } from '../diagram.js';
import { deadlineCell } from './common.js';

const CONFLICT = 'Sagen er ændret af en anden, siden du åbnede den. Siden er opdateret – kontrollér den nye tilstand, før du prøver igen.';

function actionLabel(workflow, action) {
  if (action === 'open') return 'Oprettet';
  if (action === 'escalate') return 'Eskaleret: fristen er overskredet';
  if (action === 'reopen') return 'Genåbnet';
  const t = workflow && workflow.transitions.find((x) => x.action === action);
  return t ? t.label : action;
}

// The declared fields of a history entry's step (the opening's for the opening).
function stepFields(workflow, entry) {
  if (!workflow) return [];
  if (entry.action === 'open') return workflow.open.fields;
  const t = workflow.transitions.find((x) => x.action === entry.action && x.from === entry.from);
  return t ? t.fields : [];
}

function isConfidential(workflow, action) {
  return Boolean(workflow && workflow.transitions.some((t) => t.action === action && t.confidential));
}

// docs/domain.md rule 4, in words: who may read a confidential step's notes.
function confidentialReaders(workflow) {
  const roles = ((workflow && workflow.confidential_roles) || []).map(roleLabel).map((r) => r.toLowerCase());
  return roles.length > 1 ? `${roles.slice(0, -1).join(', ')} og ${roles[roles.length - 1]}` : roles.join('');
}

function fieldValue(field, value) {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nej';
  if (!field) return String(value);
  if (field.type === 'date') return formatDate(value);
  if (field.type === 'enum') return (field.option_labels && field.option_labels[value]) || optionLabel(value);
  if (field.type === 'forum') return forumName(value);
  return String(value);
}

// What a step recorded, labelled as its form asked for it; fields in the definition's order.
function entryData(workflow, entry) {
  const data = entry.data || {};
  const fields = stepFields(workflow, entry);
  const known = fields.filter((f) => Object.prototype.hasOwnProperty.call(data, f.name));
  const rest = Object.keys(data).filter((k) => !fields.some((f) => f.name === k));
  const rows = [...known.map((f) => [f.label, fieldValue(f, data[f.name])]),
    ...rest.map((k) => [k, fieldValue(null, data[k])])];
  if (!rows.length) return null;
  return h('dl', { class: 'entry-data' }, rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function stateName(workflow, id) {
  const st = workflow && workflow.states.find((x) => x.id === id);
  return st ? st.label : id;
}

function facts(c) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h('dl', { class: 'facts' },
    row('Forum', forumName(c.forum_id)),
    row('Tilstand', c.state_label),
    row('Frist', deadlineCell(c), c.overdue ? h('span', { class: 'badge badge-overdue' }, 'Overskredet') : null,
      c.escalated ? h('span', { class: 'badge badge-escalated' }, 'Eskaleret') : null),
    row('Fødselsdato', formatDate(c.subject.birth_date)),
    row('Åbnet af', c.opened_by.display_name, ` den ${formatDateTime(c.opened_at)}`),
    row('Version', String(c.version)));
}

// A form in a region named by `title`: `content` (notes, fields), a textarea, Udfør /
// Annullér. `send(text)` posts it; a stale version (409) reloads the page and says so, any
// other refusal is shown in the form.
function stepForm({ id, title, content = [], textLabel = 'Kommentar', textRequired = false, send }, close) {
  const textId = `kommentar-${id}`;
  const text = h('textarea', { id: textId, rows: 3, required: textRequired });
  const feedback = h('div');
  const submit = h('button', { type: 'submit' }, 'Udfør');
  const headingId = `handling-${id}`;
  const form = h('form', { class: 'action-form' },
    content,
    h('div', { class: 'field' }, labelFor(textLabel, textId, textRequired), text),
    feedback,
    h('div', { class: 'buttons' }, submit,
      h('button', { type: 'button', class: 'secondary', onclick: close }, 'Annullér')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    submit.disabled = true;
    try {
      await send(text.value.trim());
      setFlash('status', 'Handlingen er udført.');
      await render({ focus: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setFlash('error', CONFLICT);
        await render({ focus: true });
        return;
      }
      feedback.append(refusalMessage(e, 'Handlingen blev afvist', 'Handlingen kunne ikke udføres'));
      submit.disabled = false;
    }
  });
  return h('section', { class: 'action-panel', role: 'region', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, title), form);
}

// The form for one action: its declared fields and a comment.
function actionForm(c, action, close) {
  const workflow = session.workflows.get(c.workflow_id);
  const fields = fieldSet(action.fields);
  return stepForm({
    id: action.action,
    title: action.label,
    content: [
      isConfidential(workflow, action.action)
        ? h('p', { class: 'confidential-note' }, `Fortroligt: kommentar og oplysninger i dette trin kan kun læses af ${confidentialReaders(workflow)}.`)
        : null,
      fields.elements],
    send: (comment) => api('POST', `/cases/${encodeURIComponent(c.id)}/transitions`, {
      action: action.action, expected_version: c.version, comment, data: fields.read(),
    }),
  }, close);
}

// docs/domain.md rule 6: a closed case is reopened with a reason.
function reopenForm(c, close) {
  const workflow = session.workflows.get(c.workflow_id);
  return stepForm({
    id: 'reopen',
    title: c.reopen.label,
    content: h('p', {}, `Sagen er lukket. Genåbnes den, går den tilbage til ${stateName(workflow, c.reopen.to)} med en ny frist; forløbet bevares.`),
    textLabel: 'Begrundelse for genåbning',
    textRequired: true,
    send: (reason) => api('POST', `/cases/${encodeURIComponent(c.id)}/reopen`, { expected_version: c.version, reason }),
  }, close);
}

function actionsSection(c) {
  const panel = h('div');
  const forms = c.available_actions.map((a) => [a.label, (close) => actionForm(c, a, close)]);
  if (c.reopen) forms.push([c.reopen.label, (close) => reopenForm(c, close)]);
  const buttons = forms.map(([label, makeForm]) => {
    const button = h('button', { type: 'button', 'aria-expanded': 'false' }, label);
    button.addEventListener('click', () => {
      for (const b of buttons) b.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-expanded', 'true');
      const close = () => {
        panel.replaceChildren();
        button.setAttribute('aria-expanded', 'false');
        button.focus();
      };
      panel.replaceChildren(makeForm(close));
      const first = panel.querySelector('input, select, textarea');
      if (first) first.focus();
    });
    return button;
  });
  return h('section', { 'aria-labelledby': 'h-handlinger' },
    h('h2', { id: 'h-handlinger' }, 'Handlinger'),
    buttons.length ? h('div', { class: 'action-buttons' }, buttons)
      : h('p', {}, 'Du har ingen handlinger i denne tilstand.'),
    panel);
}

function linksSection(c) {
  const mine = new Set(session.fora.map((f) => f.id));
  const items = c.links.map((l) => {
    const where = mine.has(l.forum_id) ? forumName(l.forum_id) : l.forum_id;
    const text = `${l.relation === 'referred_to' ? 'Henvist til' : 'Henvist fra'} ${where}`;
    return h('li', {}, mine.has(l.forum_id)
      ? h('a', { href: `/sager/${encodeURIComponent(l.case_id)}`, 'data-link': true }, text)
      : h('span', {}, text, h('span', { class: 'muted' }, ' (du har ikke adgang til forummet)')),
    l.legal_basis ? h('span', { class: 'muted' }, ` – hjemmel: ${l.legal_basis}`) : null);
  });
  return h('section', { 'aria-labelledby': 'h-relaterede' },
    h('h2', { id: 'h-relaterede' }, 'Relaterede sager'),
    items.length ? h('ul', {}, items) : h('p', {}, 'Ingen henvisninger til eller fra andre fora.'));
}

function historySection(entries, workflow) {
  return h('section', { 'aria-labelledby': 'h-forloeb' },
    h('h2', { id: 'h-forloeb' }, 'Forløb'),
    h('ol', { class: 'timeline' }, entries.map((e) => h('li', {},
      h('div', { class: 'when' }, h('time', { datetime: e.at }, formatDateTime(e.at))),
      h('div', { class: 'what' },
        h('strong', {}, actionLabel(workflow, e.action)),
        e.from && e.from !== e.to ? ` – fra ${stateName(workflow, e.from)} til ${stateName(workflow, e.to)}` : '',
        e.confidential ? h('span', { class: 'badge badge-confidential' }, 'Fortroligt') : null),
      h('div', { class: 'who' }, e.actor
        ? `${e.actor.display_name}, ${e.actor.agency ? e.actor.agency.name : ''} (${roleLabel(e.role)})`
        : 'Systemet (fristkontrol)'),
      e.withheld
        ? h('p', { class: 'confidential-note' }, `Fortroligt mæglingsnotat: kommentar og oplysninger kan kun læses af ${confidentialReaders(workflow)}.`)
        : null,
      entryData(workflow, e),
      e.comment ? h('p', { class: 'comment' }, e.comment) : null))));
}

export async function casePage(container, match) {
  const id = decodeURIComponent(match[1]);
  let c;
  let history;
  try {
    [c, history] = await Promise.all([
      api('GET', `/cases/${encodeURIComponent(id)}`),
      api('GET', `/cases/${encodeURIComponent(id)}/history`),
    ]);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      append(container, h('h1', {}, 'Sagen blev ikke fundet'),
        h('p', {}, 'Sagen findes ikke, eller du har ikke adgang til den.'),
        h('p', {}, h('a', { href: '/sager', 'data-link': true }, 'Til Mine sager')));
      return 'Sagen blev ikke fundet';
    }
    throw e;
  }
  const workflow = session.workflows.get(c.workflow_id);
  append(container, 
    h('h1', {}, c.subject.name),
    facts(c),
    h('p', { role: 'note', class: 'notice' },
      'Oplysningerne er udvekslet efter retsplejelovens § 115. Oplysninger må ikke anvendes til efterforskning.'),
    h('section', { 'aria-labelledby': 'h-resume' }, h('h2', { id: 'h-resume' }, 'Resumé'), h('p', { class: 'summary' }, c.summary)),
    actionsSection(c),
    linksSection(c),
    historySection(history.items, workflow),
    h('section', { 'aria-labelledby': 'h-arbejdsgang' },
      h('h2', { id: 'h-arbejdsgang' }, 'Arbejdsgang'),
      workflow ? h('div', { class: 'diagram-wrap' }, workflowDiagram(workflow, c.state)) : null));
  return 'Sag'; // not the name: titles end up in browser history and on shared screens
}
