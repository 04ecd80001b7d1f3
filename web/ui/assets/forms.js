// Form controls built from a workflow's declared fields (contract.md: field = name, type,
// required, label, options), so a new workflow needs no new page.
import { h } from './dom.js';
import { optionLabel } from './format.js';

let counter = 0;

export function labelFor(text, id, required) {
  return h('label', { for: id }, text, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
}

// One control: {element, read()}; read() gives the value for `data`, or undefined if empty.
export function fieldControl(field, fora = []) {
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
      const targets = field.forums || fora.filter((f) => f.workflow_id === field.workflow);
      input = h('select', { id, name: field.name, required },
        h('option', { value: '' }, 'Vælg forum …'),
        targets.map((f) => h('option', { value: f.id }, f.name)));
      break;
    }
    default:
      input = h('input', { type: 'text', id, name: field.name, required, autocomplete: 'off' });
  }
  const element = h('div', { class: 'field' }, labelFor(field.label, id, required), input);
  return { element, read: () => (input.value.trim() === '' ? undefined : input.value.trim()) };
}

// Controls for a list of fields; read() collects a `data` object.
export function fieldSet(fields, fora) {
  const controls = fields.map((f) => [f.name, fieldControl(f, fora)]);
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
