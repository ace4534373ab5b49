// Small DOM builders. Text always goes in through text nodes, never through HTML parsing, so
// nothing the user or the backend wrote can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Set as DOM properties rather than attributes, so their live state is what changes.
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'indeterminate']);

function applyAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === 'text') {
      element.textContent = value;
    } else if (PROPERTIES.has(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
    }
  }
}

/** Children may be nested in arrays, to any depth; null, undefined and false are skipped. */
function appendChildren(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) appendChildren(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** `h('p', {class: 'note'}, 'text', h('strong', null, 'bold'))` */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  applyAttributes(element, attributes);
  appendChildren(element, children);
  return element;
}

/** Same as `h`, in the SVG namespace. */
export function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  applyAttributes(element, attributes);
  appendChildren(element, children);
  return element;
}

/** Replaces every child of `element`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  appendChildren(element, children);
}

let uniqueCounter = 0;
/** An id unique in this page, for label/aria references. */
export function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** A labelled text input wrapped with its hint and error slot, the shape every form uses. */
export function textField({ id, label, value = '', placeholder, hint, field, type = 'text', inputmode, autocomplete = 'off', required = false, multiline = false }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = multiline
    ? h('textarea', { id, name: id, rows: 3, 'aria-describedby': hintId, 'aria-required': required ? 'true' : null })
    : h('input', { id, name: id, type, placeholder, inputmode, autocomplete, spellcheck: 'false', 'aria-describedby': hintId, 'aria-required': required ? 'true' : null });
  input.value = value ?? '';
  return h('div', { class: 'field', 'data-field': field ?? id },
    h('label', { for: id }, label, required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : null),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
}

/** A labelled checkbox. */
export function checkboxField({ id, label, checked = false, field, hint }) {
  const hintId = hint ? `${id}-hint` : null;
  return h('div', { class: 'field field-checkbox', 'data-field': field ?? id },
    h('input', { id, name: id, type: 'checkbox', checked, 'aria-describedby': hintId }),
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
}

/** A labelled select; options are `[value, text]` pairs. */
export function selectField({ id, label, options, value, field, hint }) {
  const hintId = hint ? `${id}-hint` : null;
  const select = h('select', { id, name: id, 'aria-describedby': hintId },
    options.map(([optionValue, text]) => h('option', { value: optionValue }, text)));
  if (value !== undefined) select.value = value;
  return h('div', { class: 'field', 'data-field': field ?? id },
    h('label', { for: id }, label),
    select,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
}
