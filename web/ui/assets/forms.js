// Form controls built from a workflow's declared fields (docs/api.md §2.3: field = name, type,
// required, label, options), so a new workflow needs no new page.
import { h } from './dom.js';
import { optionLabel, ruleExplanation } from './format.js';
import { ApiError } from './api.js';

let counter = 0;

export function labelFor(text, id, required) {
  return h('label', { for: id }, text, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
}

// One control: {element, read()}; read() gives the value for `data`, or undefined if empty.
export function fieldControl(field) {
  const id = `felt-${field.name}-${++counter}`;
  const required = Boolean(field.required);
  let input;
  switch (field.type) {
    case 'boolean': {
      input = h('input', { type: 'checkbox', id, name: field.name });
      const element = h('div', { class: 'field field-check' }, input,
        h('label', { for: id }, field.label));
      return { element, read: () => input.checked };
    }
    case 'text':
      input = h('textarea', { id, name: field.name, rows: 3, required });
      break;
    case 'date':
      input = h('input', { type: 'date', id, name: field.name, required });
      break;
    case 'enum':
      input = h('select', { id, name: field.name, required },
        h('option', { value: '' }, 'Vælg …'),
        (field.options || []).map((o) => h('option', { value: o }, (field.option_labels && field.option_labels[o]) || optionLabel(o))));
      break;
    case 'forum': {
      // The target fora come with the field (GET /cases/{id} lists them as `forums`).
      input = h('select', { id, name: field.name, required },
        h('option', { value: '' }, 'Vælg forum …'),
        (field.forums || []).map((f) => h('option', { value: f.id }, f.name)));
      break;
    }
    default:
      input = h('input', { type: 'text', id, name: field.name, required, autocomplete: 'off' });
  }
  const element = h('div', { class: 'field' }, labelFor(field.label, id, required), input);
  return { element, read: () => (input.value.trim() === '' ? undefined : input.value.trim()) };
}

// Controls for a list of fields; read() collects a `data` object.
export function fieldSet(fields) {
  const controls = fields.map((f) => [f.name, fieldControl(f)]);
  return {
    elements: controls.map(([, c]) => c.element),
    read() {
      const data = {};
      for (const [name, c] of controls) {
        const v = c.read();
        if (v !== undefined) data[name] = v;
      }
      return data;
    },
  };
}

// A message region: role=alert for errors, role=status for confirmations.
export function message(kind, ...content) {
  return h('div', { class: ['message', `message-${kind}`], role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

// A refused request in words: a guard's refusal (422) leads with `refused` and its rule
// explained in Danish, anything else with `failed`; the server's own words follow.
export function refusalMessage(e, refused, failed) {
  const guard = e instanceof ApiError && e.code === 'guard_failed';
  return message('error', guard ? `${refused}: ${ruleExplanation(e)} ` : `${failed}. `,
    h('span', { lang: 'en', class: 'technical' }, `(${e.message})`));
}
