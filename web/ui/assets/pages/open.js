import { api } from '../api.js';
import { append, h, replace } from '../dom.js';
import { fieldSet, labelFor, refusalMessage } from '../forms.js';
import { todayIso } from '../format.js';
import { navigate, setFlash } from '../router.js';
import { session } from '../session.js';

// The fora where one of my roles may open a case (the workflow's open.roles).
function openableFora() {
  return session.fora.filter((f) => {
    const wf = session.workflows.get(f.workflow_id);
    const mine = session.me.memberships.filter((m) => m.forum_id === f.id).map((m) => m.role);
    return wf && mine.some((r) => wf.open.roles.includes(r));
  });
}

export async function openPage(container) {
  const fora = openableFora();
  append(container, h('h1', {}, 'Opret henvisning'));
  if (fora.length === 0) {
    append(container, h('p', {}, 'Du har ingen rolle, der må oprette sager, i nogen af dine fora.'));
    return 'Opret henvisning';
  }
  const wanted = new URLSearchParams(location.search).get('forum');
  const forumSelect = h('select', { id: 'opret-forum', required: true },
    fora.map((f) => h('option', { value: f.id, selected: f.id === wanted }, f.name)));
  const name = h('input', { id: 'opret-navn', required: true, autocomplete: 'off' });
  const birth = h('input', { id: 'opret-foedselsdato', type: 'date', required: true, max: todayIso() });
  const summary = h('textarea', { id: 'opret-resume', rows: 4, required: true });
  const workflowFields = h('div');
  const feedback = h('div');
  let fields = fieldSet([]);

  const drawFields = () => {
    const forum = fora.find((f) => f.id === forumSelect.value);
    const wf = session.workflows.get(forum.workflow_id);
    fields = fieldSet(wf.open.fields);
    replace(workflowFields, wf.open.fields.length === 0 ? null
      : h('fieldset', {}, h('legend', {}, `Oplysninger til ${wf.name}`), fields.elements));
  };
  forumSelect.addEventListener('change', drawFields);
  drawFields();

  const button = h('button', { type: 'submit' }, 'Opret henvisning');
  // The browser's own validation checks the required fields before anything is sent.
  const form = h('form', {},
    h('div', { class: 'field' }, labelFor('Forum', 'opret-forum', true), forumSelect),
    h('div', { class: 'field' }, labelFor('Borgerens navn', 'opret-navn', true), name),
    h('div', { class: 'field' }, labelFor('Fødselsdato', 'opret-foedselsdato', true), birth),
    h('div', { class: 'field' }, labelFor('Resumé', 'opret-resume', true), summary,
      h('p', { class: 'hint', id: 'resume-hint' }, 'Kun det, forummet har brug for. Oplysningerne er omfattet af retsplejelovens § 115.')),
    workflowFields,
    button);
  summary.setAttribute('aria-describedby', 'resume-hint');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    button.disabled = true;
    try {
      const created = await api('POST', '/cases', {
        forum_id: forumSelect.value,
        subject: { name: name.value.trim(), birth_date: birth.value },
        summary: summary.value.trim(),
        data: fields.read(),
      });
      setFlash('status', 'Henvisningen er oprettet.');
      navigate(`/sager/${encodeURIComponent(created.id)}`);
    } catch (e) {
      feedback.append(refusalMessage(e, 'Henvisningen blev ikke oprettet', 'Henvisningen blev ikke oprettet'));
    } finally {
      button.disabled = false;
    }
  });

  append(container, 
    h('p', { class: 'lead' }, 'Henvis en borger til et af dine fora. Felter med * skal udfyldes.'),
    feedback, form);
  return 'Opret henvisning';
}
