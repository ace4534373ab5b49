// The first run: tick every credential you hold on one screen, then one line per credential —
// the date earned or the current expiry, membership, number, and the units already earned this
// cycle (by category where the body counts them). Nothing is saved until "Finish", and then all
// together; reminders wait for it and come as one summary.

import { getCatalog, searchCatalog, setUp } from '../api.js';
import { checkboxField, h, replaceChildren, textField } from '../dom.js';
import { clearErrors, clearFieldError, flash, showError } from '../feedback.js';
import { dateField } from '../date-picker.js';
import { formatNumber } from '../format.js';
import { alreadyEarnedFields, alreadyEarnedValues } from './already-earned.js';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

// --- step 1: what do you hold? ----------------------------------------------------------------

function presetCheckbox(preset, onChange) {
  const id = `pick-${preset.id}`;
  const input = h('input', { type: 'checkbox', id, 'data-preset-id': preset.id, on: { change: onChange } });
  return h('li', { class: 'pick-option', 'data-preset-id': preset.id },
    input,
    h('label', { for: id },
      h('span', { class: 'preset-abbreviation' }, preset.abbreviation),
      h('span', { class: 'preset-name' }, preset.name),
      h('span', { class: 'preset-body' }, preset.body_short, preset.kind === 'cpr_aed' ? ' · CPR/AED card' : '')));
}

function pickStep(catalog, state, next) {
  const search = textField({
    id: 'welcome-search', label: 'Find your credentials', type: 'search', field: 'credentials',
    placeholder: 'e.g. CSCS, NASM, CPR', hint: 'Type a name, body or abbreviation; Enter ticks the only match.',
  });
  const count = h('p', { class: 'hint', id: 'welcome-count', 'aria-live': 'polite' });
  const picked = h('p', { class: 'picked-summary', id: 'welcome-picked', 'aria-live': 'polite' });
  const nextButton = h('button', { type: 'button', class: 'button primary', id: 'welcome-next', disabled: true, on: { click: next } },
    'Next: where each one stands');
  const refresh = () => {
    const chosen = [...state.picked].map((id) => catalog.find((p) => p.id === id).abbreviation);
    const custom = state.customCount > 0 ? [`${formatNumber(state.customCount)} of your own`] : [];
    const all = [...chosen, ...custom];
    picked.textContent = all.length ? `Ticked: ${all.join(', ')}` : 'Nothing ticked yet.';
    nextButton.disabled = all.length === 0;
  };
  const options = catalog.map((preset) => {
    const item = presetCheckbox(preset, (event) => {
      if (event.target.checked) state.picked.add(preset.id);
      else state.picked.delete(preset.id);
      refresh();
    });
    return { preset, item };
  });
  const list = h('ul', { class: 'pick-list', id: 'welcome-list', 'aria-label': 'Certifications in the catalog' },
    options.map(({ item }) => item));

  // The core decides what matches, as on the Add screen; late answers to older keystrokes are dropped.
  let latest = 0;
  async function filter() {
    const asked = ++latest;
    const matching = new Set(await searchCatalog(search.querySelector('input').value));
    if (asked !== latest) return;
    let shown = 0;
    for (const { preset, item } of options) {
      item.hidden = !matching.has(preset.id);
      if (!item.hidden) shown += 1;
    }
    count.textContent = shown === 0
      ? 'No certification matches: try another word, or add one of your own below.'
      : `${formatNumber(shown)} of ${formatNumber(catalog.length)} certifications`;
    return [...options].filter(({ item }) => !item.hidden);
  }
  const searchInput = search.querySelector('input');
  searchInput.addEventListener('input', filter);
  searchInput.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const shown = await filter();
    if (shown.length !== 1) return;
    const box = shown[0].item.querySelector('input');
    if (!box.checked) box.click();
    searchInput.select();
  });
  filter();
  const addCustom = h('button', {
    type: 'button', class: 'button', id: 'welcome-add-custom',
    on: { click: () => { state.customCount += 1; refresh(); } },
  }, '+ One that is not in the list');
  refresh();
  return h('section', { class: 'panel welcome-step', id: 'pick-step', 'aria-labelledby': 'pick-title' },
    h('h2', { id: 'pick-title' }, '1. Which credentials do you hold?'),
    search, count, list,
    h('p', { class: 'hint' }, 'Not in the catalog? ', addCustom),
    picked,
    h('div', { class: 'actions' }, nextButton));
}

// --- step 2: where each one stands ------------------------------------------------------------

function credentialRow(index, preset) {
  const title = preset ? `${preset.abbreviation} — ${preset.name}` : 'A credential of your own';
  const identity = preset
    ? h('p', { class: 'rules-summary' }, preset.rules.summary)
    : h('div', { class: 'field-grid' },
      textField({ id: `w-${index}-name`, label: 'Name', field: `${index}.name`, required: true }),
      textField({ id: `w-${index}-body`, label: 'Certifying body', field: `${index}.body`, required: true }),
      textField({ id: `w-${index}-years`, label: 'Renews every (years)', inputmode: 'numeric', field: `${index}.cycle-years` }));
  const isCard = preset?.kind === 'cpr_aed';
  return h('fieldset', { class: 'panel welcome-row', 'data-index': String(index), 'data-preset-id': preset?.id ?? '' },
    h('legend', null, title),
    identity,
    h('div', { class: 'field-grid' },
      dateField({ notAfterToday: true, id: `w-${index}-earned`, label: isCard ? 'Issued on' : 'Earned on', placeholder: 'YYYY-MM-DD', field: `${index}.earned`,
        hint: preset ? 'The date on your certificate or card.' : 'Optional when you give the expiry.' }),
      dateField({ id: `w-${index}-expires`, label: 'Current expiry (if you know it)', placeholder: 'YYYY-MM-DD', field: `${index}.expires`,
        hint: 'From your certificate or account: it wins over the computed date.' }),
      isCard ? null : textField({ id: `w-${index}-number`, label: 'Credential number (optional)', field: `${index}.number` })),
    isCard ? null : checkboxField({ id: `w-${index}-member`, label: `I am a member of ${preset?.body_short ?? 'this body'}`, field: `${index}.member` }),
    alreadyEarnedFields({ idPrefix: `w-${index}-already`, field: `${index}.already-earned`, preset }));
}

function formFromRow(row, preset) {
  const index = row.dataset.index;
  const value = (suffix) => row.querySelector(`#w-${index}-${suffix}`);
  const common = {
    earned_on: value('earned').value.trim(),
    expires: textOrNull(value('expires')),
    number: value('number') ? textOrNull(value('number')) : null,
    member: value('member')?.checked ?? false,
    already_earned: alreadyEarnedValues(row, { idPrefix: `w-${index}-already`, preset }),
  };
  if (preset) return { preset: preset.id, ...common };
  return { name: value('name').value, body: value('body').value, cycle_years: textOrNull(value('years')), ...common };
}

function detailsStep(catalog, state, back, app) {
  const presets = [...state.picked].map((id) => catalog.find((p) => p.id === id));
  const entries = [...presets, ...Array.from({ length: state.customCount }, () => null)];
  const rows = entries.map((preset, index) => ({ preset, row: credentialRow(index, preset) }));
  const finish = h('button', { type: 'submit', class: 'button primary', id: 'welcome-finish' }, 'Finish');
  const form = h('form', { class: 'form', id: 'welcome-form', novalidate: true },
    h('p', { class: 'hint' }, 'One line per credential. Give the date you earned it, or its current expiry; the rest is optional.'),
    rows.map(({ row }) => row),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button', id: 'welcome-back', on: { click: back } }, 'Back'),
      finish));
  form.addEventListener('input', (event) => clearFieldError(event.target.closest('.field')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    finish.disabled = true;
    try {
      const added = await setUp(rows.map(({ row, preset }) => formFromRow(row, preset)));
      flash(`Recert is set up with ${added.map((c) => c.abbreviation).join(', ')}.`);
      app.navigate('#/dashboard');
    } catch (error) {
      showError(form, error);
    } finally {
      finish.disabled = false;
    }
  });
  return h('section', { class: 'welcome-step', id: 'details-step', 'aria-labelledby': 'details-title' },
    h('h2', { id: 'details-title' }, '2. Where each one stands'), form);
}

export async function render(_params, app) {
  const catalog = await getCatalog();
  const state = { picked: new Set(), customCount: 0 };
  const stepRoot = h('div', { id: 'welcome-steps' });
  // Each step is built once and kept, so going back and forth keeps what was typed; the details
  // are built again only when the ticked credentials changed.
  const pick = pickStep(catalog, state, showDetails);
  let details = null;
  let detailsFor = '';
  const showPick = () => replaceChildren(stepRoot, pick);
  function showDetails() {
    const key = `${[...state.picked].join(',')}+${state.customCount}`;
    if (!details || key !== detailsFor) {
      details = detailsStep(catalog, state, showPick, app);
      detailsFor = key;
    }
    replaceChildren(stepRoot, details);
    stepRoot.querySelector('input')?.focus();
  }
  showPick();
  document.title = 'Set up — Recert';
  return h('section', { id: 'welcome' },
    h('header', { class: 'view-header' },
      h('div', null,
        h('h1', null, 'Set up Recert'),
        h('p', { class: 'subtitle' }, 'Tick what you hold, say where each stands, and your dashboard is true from the first minute. Nothing is saved until you finish.'))),
    stepRoot);
}
