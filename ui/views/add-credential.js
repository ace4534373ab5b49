// Adding a credential: pick a preset from the catalog (its rules shown with their sources and
// what is unknown), or describe a custom one. The backend validates; errors land beside fields.

import { addCredential, getCatalog, searchCatalog } from '../api.js';
import { checkboxField, h, replaceChildren, selectField, textField } from '../dom.js';
import { clearErrors, clearFieldError, flash, showError } from '../feedback.js';
import { dateField } from '../date-picker.js';
import { formatNumber } from '../format.js';
import { alreadyEarnedFields, alreadyEarnedValues } from './already-earned.js';
import { provenanceList, rulesFromPreset, rulesList } from './rules.js';

const DATE_HINT = 'YYYY-MM-DD';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

// --- catalog mode --------------------------------------------------------------------------

function presetOption(preset, onPick) {
  return h('li', null,
    h('button', {
      type: 'button',
      class: 'preset-option',
      'data-preset-id': preset.id,
      'aria-pressed': 'false',
      on: { click: () => onPick(preset) },
    },
    h('span', { class: 'preset-abbreviation' }, preset.abbreviation),
    h('span', { class: 'preset-name' }, preset.name),
    h('span', { class: 'preset-body' }, preset.body_short, preset.kind === 'cpr_aed' ? ' · CPR/AED card' : '')));
}

function presetDetails(preset) {
  return [
    h('h2', null, preset.name),
    h('p', { class: 'subtitle' }, `${preset.abbreviation} · ${preset.body}`),
    h('p', { class: 'rules-summary', id: 'rules-summary' }, preset.rules.summary),
  ];
}

/** The rules in full, below the certificate's fields; the research behind them under a fold. */
function presetRules(preset) {
  const rules = rulesFromPreset(preset);
  return [
    h('h2', null, 'The rules in full'),
    h('p', { class: 'hint' }, 'Values the sources do not give stay unknown; you can fill them in later from the credential’s page.'),
    rulesList(rules, { provenance: false }),
    h('details', { class: 'provenance', id: 'preset-provenance' },
      h('summary', null, 'Where this comes from'),
      provenanceList(rules)),
  ];
}

function catalogPart(catalog, state) {
  const search = textField({
    id: 'catalog-search', label: 'Search the catalog', type: 'search', field: 'preset',
    placeholder: 'e.g. CSCS, NASM, CPR', hint: 'Search by name, body or abbreviation, then pick one below.',
  });
  const count = h('p', { class: 'hint', id: 'catalog-count', 'aria-live': 'polite' });
  const list = h('ul', { class: 'preset-list', id: 'preset-list', 'aria-label': 'Certifications in the catalog' });
  const details = h('section', { id: 'preset-details', class: 'preset-details', 'aria-live': 'polite', hidden: true });
  const options = catalog.map((preset) => ({ preset, item: presetOption(preset, pick) }));

  function pick(preset) {
    state.preset = preset;
    for (const { preset: other, item } of options) {
      item.querySelector('.preset-option').setAttribute('aria-pressed', String(other.id === preset.id));
    }
    replaceChildren(details, presetDetails(preset));
    details.hidden = false;
    clearFieldError(search);
    state.onPick?.(preset);
  }

  // The core decides what matches (the CLI's `catalog --search` too); answers to older keystrokes
  // that arrive late are dropped.
  let latestSearch = 0;
  let searched = Promise.resolve();
  async function filter() {
    const asked = ++latestSearch;
    let matching;
    try {
      matching = new Set(await searchCatalog(search.querySelector('input').value));
    } catch (error) {
      count.textContent = `The catalog could not be searched: ${error.message}`;
      return;
    }
    if (asked !== latestSearch) return;
    let shown = 0;
    for (const { preset, item } of options) {
      item.hidden = !matching.has(preset.id);
      if (!item.hidden) shown += 1;
    }
    count.textContent = shown === 0
      ? 'No certification matches. Try another word, or add a custom credential.'
      : `${formatNumber(shown)} of ${formatNumber(catalog.length)} certifications`;
  }

  search.querySelector('input').addEventListener('input', () => {
    searched = filter();
  });
  // Enter in the search picks the only match (and never submits the form half filled in).
  search.querySelector('input').addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    await searched;
    const shown = options.filter(({ item }) => !item.hidden);
    // The cursor stays in the search; its rules show right below the one match.
    if (shown.length === 1) pick(shown[0].preset);
  });
  list.append(...options.map(({ item }) => item));
  searched = filter();
  return h('fieldset', { class: 'form-section', id: 'catalog-part' },
    h('legend', null, 'Choose the certification'), search, count, list, details);
}

// --- custom mode ---------------------------------------------------------------------------

const CYCLE_RULES = [
  ['anniversary', 'On the anniversary'],
  ['month-end', 'End of the anniversary month'],
  ['year-end', 'On 31 December'],
  ['fixed', 'Shared fixed date'],
  ['manual', 'No rule (I type each expiry)'],
];

function customPart() {
  const cycleRule = selectField({ id: 'custom-cycle-rule', label: 'How the cycle ends', options: CYCLE_RULES, value: 'anniversary', field: 'cycle-rule-kind' });
  const fixedEnd = textField({ id: 'custom-fixed-end', label: 'A cycle ends on', placeholder: DATE_HINT, field: 'cycle-rule', hint: 'Any one end date of the shared cycle, e.g. 2026-12-31.' });
  const years = textField({ id: 'custom-cycle-years', label: 'Cycle length in years', inputmode: 'numeric', field: 'cycle-years', value: '2' });
  const showCycleFields = () => {
    const rule = cycleRule.querySelector('select').value;
    fixedEnd.hidden = rule !== 'fixed';
    years.hidden = rule === 'manual';
  };
  cycleRule.querySelector('select').addEventListener('change', showCycleFields);
  showCycleFields();
  return h('fieldset', { class: 'form-section', id: 'custom-part', hidden: true },
    h('legend', null, 'Describe the credential'),
    h('p', { class: 'hint' }, 'Leave a value empty when you do not know it: Recert will show it as unknown rather than guess.'),
    h('div', { class: 'field-grid' },
      textField({ id: 'custom-name', label: 'Name', field: 'name', required: true }),
      textField({ id: 'custom-body', label: 'Certifying body', field: 'body', required: true }),
      textField({ id: 'custom-abbreviation', label: 'Abbreviation', field: 'abbreviation', hint: 'Defaults to the name.' })),
    checkboxField({ id: 'custom-cpr-card', label: 'This is a CPR/AED or First Aid card', field: 'cpr_card' }),
    selectField({
      id: 'custom-first-aid', label: 'For a card: does it also cover First Aid?', field: 'covers_first_aid', value: '',
      options: [['', 'Not sure'], ['yes', 'Yes, First Aid too'], ['no', 'No, CPR and AED only']],
      hint: 'Some bodies (CSCCa) need First Aid on the card.',
    }),
    h('div', { class: 'field-grid' },
      cycleRule, fixedEnd, years,
      textField({ id: 'custom-units-required', label: 'Units required per cycle', inputmode: 'decimal', field: 'units' }),
      textField({ id: 'custom-unit', label: 'Unit name', placeholder: 'CEU, CEC…', field: 'unit' }),
      textField({ id: 'custom-hours-per-unit', label: 'Hours of study per unit', inputmode: 'decimal', field: 'hours-per-unit' }),
      textField({ id: 'custom-renewal-fee', label: 'Renewal fee (USD)', inputmode: 'decimal', field: 'fee' }),
      textField({ id: 'custom-late-fee', label: 'Late fee (USD)', inputmode: 'decimal', field: 'late-fee' }),
      textField({ id: 'custom-grace', label: 'Grace period', field: 'grace', hint: '90 days, 6 months, 1 year; empty if unknown' }),
      selectField({
        id: 'custom-requires-cpr', label: 'Needs a current CPR/AED card', field: 'requires_cpr_aed', value: '',
        options: [['', 'Unknown'], ['yes', 'Yes'], ['no', 'No']],
      })));
}

function customFormFields(form) {
  const value = (id) => form.querySelector(`#${id}`);
  const rule = value('custom-cycle-rule').value;
  const requiresCpr = value('custom-requires-cpr').value;
  return {
    name: value('custom-name').value,
    body: value('custom-body').value,
    abbreviation: textOrNull(value('custom-abbreviation')),
    cpr_card: value('custom-cpr-card').checked,
    covers_first_aid: value('custom-cpr-card').checked && value('custom-first-aid').value !== ''
      ? value('custom-first-aid').value === 'yes' : null,
    cycle_rule: rule === 'fixed' ? `fixed:${value('custom-fixed-end').value.trim()}` : rule,
    cycle_years: rule === 'manual' ? null : textOrNull(value('custom-cycle-years')),
    units_required: textOrNull(value('custom-units-required')),
    unit: textOrNull(value('custom-unit')),
    hours_per_unit: textOrNull(value('custom-hours-per-unit')),
    renewal_fee: textOrNull(value('custom-renewal-fee')),
    late_fee: textOrNull(value('custom-late-fee')),
    grace: textOrNull(value('custom-grace')),
    requires_cpr_aed: requiresCpr === '' ? null : requiresCpr === 'yes',
  };
}

// --- the certificate itself (both modes) ----------------------------------------------------

function certificatePart(alreadyEarned) {
  return h('fieldset', { class: 'form-section' },
    h('legend', null, 'Your certificate'),
    h('div', { class: 'field-grid' },
      dateField({ notAfterToday: true, id: 'earned-on', label: 'Earned on', placeholder: DATE_HINT, field: 'earned', hint: 'The date on your certificate or card: YYYY-MM-DD or MM/DD/YYYY, or pick it from the calendar.' }),
      dateField({ id: 'expires', label: 'Current expiry (if you know it)', placeholder: DATE_HINT, field: 'expires', hint: 'From your certificate or account: it wins over the computed date. Enough on its own.' }),
      textField({ id: 'number', label: 'Certificate number (optional)', field: 'number' })),
    checkboxField({ id: 'member', label: 'I am a member of this body (member renewal fee applies)', field: 'member' }),
    alreadyEarned,
    textField({ id: 'credential-notes', label: 'Notes (optional)', field: 'notes', multiline: true }));
}

function modeSwitch(state, parts) {
  const catalogButton = h('button', { type: 'button', class: 'toggle', id: 'mode-catalog', 'aria-pressed': 'true' }, 'From the catalog');
  const customButton = h('button', { type: 'button', class: 'toggle', id: 'mode-custom', 'aria-pressed': 'false' }, 'Custom credential');
  const setMode = (mode) => {
    state.mode = mode;
    catalogButton.setAttribute('aria-pressed', String(mode === 'catalog'));
    customButton.setAttribute('aria-pressed', String(mode === 'custom'));
    parts.catalog.hidden = mode !== 'catalog';
    parts.custom.hidden = mode !== 'custom';
    state.onPick?.(mode === 'catalog' ? state.preset : null);
  };
  catalogButton.addEventListener('click', () => setMode('catalog'));
  customButton.addEventListener('click', () => setMode('custom'));
  return h('div', { class: 'toggle-group', role: 'group', 'aria-label': 'How to add it' }, catalogButton, customButton);
}

function buildForm(form, state) {
  const input = (id) => form.querySelector(`#${id}`);
  const preset = state.mode === 'catalog' ? state.preset : null;
  const common = {
    earned_on: input('earned-on').value,
    expires: textOrNull(input('expires')),
    number: textOrNull(input('number')),
    member: input('member').checked,
    notes: textOrNull(input('credential-notes')),
    already_earned: alreadyEarnedValues(form, { idPrefix: 'already-earned', preset }),
    late_reporting: Boolean(preset?.late_reporting_start && input('late-reporting')?.checked),
  };
  if (state.mode === 'custom') return { preset: null, ...common, ...customFormFields(form) };
  return { preset: state.preset?.id ?? null, ...common };
}

async function save(event, form, state, app) {
  event.preventDefault();
  clearErrors(form);
  if (state.mode === 'catalog' && !state.preset) {
    showError(form, { field: 'preset', message: 'Pick a certification from the list first (or switch to “Custom credential”).' });
    return;
  }
  const button = form.querySelector('#save-credential');
  button.disabled = true;
  try {
    const saved = await addCredential(buildForm(form, state));
    flash(`Added ${saved.abbreviation} (${saved.body_short}). `,
      h('a', { class: 'button small', id: 'add-another', href: '#/add' }, 'Add another'));
    app.navigate('#/dashboard');
  } catch (error) {
    showError(form, error);
  } finally {
    button.disabled = false;
  }
}

export async function render(_params, app) {
  const catalog = await getCatalog();
  const state = { mode: 'catalog', preset: null };
  const parts = { catalog: catalogPart(catalog, state), custom: customPart() };
  // The opening-balance inputs and the rules in full follow the preset picked.
  const alreadyEarned = h('div', { id: 'already-earned' }, alreadyEarnedFields({ idPrefix: 'already-earned', field: 'already-earned', preset: null }));
  const rulesPart = h('section', { id: 'preset-rules', class: 'preset-rules', hidden: true });
  // A body with a late-reporting period asks whether the holder used it (NSCA 2021–23).
  const lateReporting = h('div', { id: 'late-reporting-slot' });
  state.onPick = (preset) => {
    replaceChildren(alreadyEarned, alreadyEarnedFields({ idPrefix: 'already-earned', field: 'already-earned', preset }));
    const question = preset?.late_reporting_start?.question;
    replaceChildren(lateReporting,
      question ? checkboxField({ id: 'late-reporting', label: question, field: 'late-reporting' }) : null);
    if (preset) replaceChildren(rulesPart, presetRules(preset));
    rulesPart.hidden = !preset;
  };
  const form = h('form', { id: 'credential-form', class: 'form', novalidate: true },
    parts.catalog, parts.custom, certificatePart(alreadyEarned), lateReporting, rulesPart,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: '#/dashboard' }, 'Cancel'),
      h('button', { type: 'submit', class: 'button primary', id: 'save-credential' }, 'Save credential')));
  form.addEventListener('submit', (event) => save(event, form, state, app));
  form.addEventListener('input', (event) => clearFieldError(event.target.closest('.field')));
  return h('section', { id: 'add-credential' },
    h('header', { class: 'view-header' },
      h('div', null, h('h1', null, 'Add a credential'),
        h('p', { class: 'subtitle' }, 'Pick a certification you hold; Recert fills in its renewal rules.'))),
    modeSwitch(state, parts),
    form);
}
