// Logging a course once, with a live preview of what it earns toward each credential held.
// The form is never cleared on an error: the user fixes the one field the backend names.

import {
  appInfo, deleteActivity, getStatus, listActivities, logActivity, openProof, pickProofFile, previewCredits,
} from '../api.js';
import { h, replaceChildren, textField } from '../dom.js';
import { clearErrors, clearFieldError, confirmDialog, flash, showError } from '../feedback.js';
import { dateElement, fileName, formatMoney, formatNumber, formatUnits, sentenceWithDates } from '../format.js';

const PREVIEW_DELAY_MS = 300;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NONE_TICKED_MESSAGE =
  'No credential is ticked. Tick the credentials this activity counts toward (with none ticked nothing would be credited).';

const FILL_IN_MESSAGE = 'Fill in the title, date and hours to see what each credential would receive.';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

/** "+0.8 CEU · category A", or why a credential gets nothing. */
function outcomeText(outcome) {
  if (!outcome.credited) return ['Not credited: ', sentenceWithDates(outcome.reason ?? 'not selected')];
  const parts = [`+${formatUnits(outcome.units, outcome.unit)}`];
  if (outcome.category) parts.push(` · category ${outcome.category}`);
  if (outcome.capped) parts.push(' · capped at the per-event maximum');
  if (outcome.overridden) parts.push(' · units you typed');
  return parts;
}

// --- the credit preview ----------------------------------------------------------------------

/**
 * Rows of the preview, one per held credential, kept across previews (updated in place) so the
 * checkbox and override the user is typing into keep their focus and value.
 */
class CreditPreview {
  constructor(statuses, onChange) {
    this.statuses = new Map(statuses.map((status) => [status.id, status]));
    this.onChange = onChange;
    this.rows = new Map(); // credential id -> { element, checkbox, override, outcomeLine, touched }
    this.message = h('p', { class: 'preview-message', 'aria-live': 'polite' }, FILL_IN_MESSAGE);
    this.list = h('ul', { class: 'preview-rows' });
    this.element = h('section', { id: 'credit-preview', class: 'form-section', 'aria-labelledby': 'credit-preview-title' },
      h('h2', { id: 'credit-preview-title' }, 'What it counts toward'),
      h('p', { class: 'hint' }, 'Untick a credential to keep this activity away from it; type units to replace the computed ones (e.g. what the certificate says).'),
      h('div', { class: 'preview-errors', 'data-field': 'for units' }),
      this.message,
      this.list);
  }

  /** True once the user chose credentials by hand; until then the backend credits every one it can. */
  isRestricted() {
    return [...this.rows.values()].some((row) => row.touched || row.override.value.trim() !== '');
  }

  /** `credit_to` for the form, or null when the user unticked everything. */
  creditTo() {
    if (!this.isRestricted()) return [];
    const ticked = [...this.rows.entries()].filter(([, row]) => row.checkbox.checked);
    if (!ticked.length) return null;
    return ticked.map(([id, row]) => ({ credential_id: id, units: textOrNull(row.override) }));
  }

  showMessage(...content) {
    replaceChildren(this.message, content);
  }

  row(outcome) {
    const existing = this.rows.get(outcome.credential_id);
    if (existing) return existing;
    const id = outcome.credential_id;
    const status = this.statuses.get(id);
    const isCard = status?.kind === 'cpr_aed';
    const checkbox = h('input', { type: 'checkbox', id: `credit-${id}`, class: 'credit-toggle', disabled: isCard });
    const override = h('input', {
      type: 'text', id: `override-${id}`, class: 'override-units', inputmode: 'decimal', autocomplete: 'off',
      placeholder: outcome.unit ?? 'units',
    });
    const outcomeLine = h('p', { class: 'preview-outcome' });
    const row = {
      checkbox, override, outcomeLine, touched: false,
      element: h('li', { class: 'preview-row', 'data-credential-id': String(id) },
        h('div', { class: 'preview-choice' }, checkbox,
          h('label', { for: checkbox.id }, h('strong', null, outcome.abbreviation),
            status ? ` · ${status.body_short}` : '')),
        outcomeLine,
        isCard ? null : h('div', { class: 'override' },
          h('label', { for: override.id }, `Units instead (${outcome.unit ?? 'units'})`), override)),
    };
    checkbox.addEventListener('change', () => {
      row.touched = true;
      this.onChange();
    });
    override.addEventListener('input', () => {
      // Typing units for a credential means the user wants it credited.
      if (override.value.trim() !== '' && !checkbox.disabled) checkbox.checked = true;
      this.onChange();
    });
    this.rows.set(id, row);
    return row;
  }

  update(outcomes) {
    const seen = new Set();
    for (const outcome of outcomes) {
      seen.add(outcome.credential_id);
      const row = this.row(outcome);
      if (!row.touched) row.checkbox.checked = outcome.credited;
      row.element.dataset.credited = String(outcome.credited);
      row.element.classList.toggle('not-credited', !outcome.credited);
      replaceChildren(row.outcomeLine, outcomeText(outcome));
      this.list.append(row.element); // keeps the backend's order
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.element.remove();
        this.rows.delete(id);
      }
    }
    const credited = outcomes.filter((outcome) => outcome.credited).length;
    this.showMessage(outcomes.length
      ? `Counts toward ${formatNumber(credited)} of ${formatNumber(outcomes.length)} credentials.`
      : 'You hold no credentials yet: the activity is only kept in your log. Add a credential first to count it.');
  }

  /** Every ticked row shown as "not selected" without asking the backend (see NONE_TICKED_MESSAGE). */
  showNoneTicked() {
    for (const row of this.rows.values()) replaceChildren(row.outcomeLine, 'Not credited: not selected');
    this.showMessage(NONE_TICKED_MESSAGE);
  }
}

// --- the form ------------------------------------------------------------------------------

function categoriesHint(statuses) {
  const keys = statuses
    .filter((status) => status.categories.length)
    .map((status) => `${status.abbreviation}: ${status.categories.map((category) => category.key).join(', ')}`);
  const base = 'Comma-separated tags such as A, B, cpr or ethics. A tag that matches a credential’s category key puts the units in that category; without one they go to its default category.';
  return keys.length ? `${base} Your categories — ${keys.join('; ')}.` : base;
}

function proofField(state) {
  const name = h('span', { id: 'proof-name', class: 'proof-name' }, 'No file chosen');
  const clear = h('button', { type: 'button', class: 'button small', id: 'clear-proof', hidden: true }, 'Remove file');
  const pick = h('button', { type: 'button', class: 'button', id: 'pick-proof', 'aria-describedby': 'proof-name proof-hint' }, 'Choose file…');
  const show = () => {
    name.textContent = state.proofPath ? fileName(state.proofPath) : 'No file chosen';
    name.title = state.proofPath ?? '';
    clear.hidden = !state.proofPath;
  };
  const container = h('fieldset', { class: 'form-section', 'data-field': 'proof' },
    h('legend', null, 'Proof (optional)'),
    h('div', { class: 'input-row' }, pick, name, clear),
    h('p', { class: 'hint', id: 'proof-hint' }, 'A certificate or receipt (PDF or image). Recert keeps its own copy in the data folder.'));
  pick.addEventListener('click', async () => {
    clearFieldError(container);
    try {
      const path = await pickProofFile();
      if (path) state.proofPath = path;
      show();
    } catch (error) {
      showError(container.closest('form') ?? container, { ...error, field: 'proof', message: error.message });
    }
  });
  clear.addEventListener('click', () => {
    state.proofPath = null;
    show();
    pick.focus();
  });
  return container;
}

function activityFields(statuses, today) {
  return h('fieldset', { class: 'form-section' },
    h('legend', null, 'The activity'),
    h('div', { class: 'field-grid' },
      textField({ id: 'log-title', label: 'Title', field: 'title', required: true, placeholder: 'e.g. Kettlebell workshop' }),
      textField({ id: 'log-provider', label: 'Provider (optional)', field: 'provider' }),
      textField({ id: 'log-date', label: 'Completed on', field: 'date', required: true, placeholder: 'YYYY-MM-DD', value: today, hint: 'YYYY-MM-DD' }),
      textField({ id: 'log-hours', label: 'Hours of study', field: 'hours', required: true, inputmode: 'decimal', placeholder: 'e.g. 8' }),
      textField({ id: 'log-cost', label: 'Cost (USD, optional)', field: 'cost', inputmode: 'decimal', placeholder: 'e.g. 149' })),
    textField({ id: 'log-categories', label: 'Category tags (optional)', field: 'category', hint: categoriesHint(statuses) }),
    textField({ id: 'log-notes', label: 'Notes (optional)', field: 'notes', multiline: true }));
}

function isCompleteEnough(form) {
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  return value('log-title') !== '' && ISO_DATE.test(value('log-date')) && value('log-hours') !== '';
}

/** The activity form as the backend reads it; `credit_to` null means "nothing ticked". */
function activityForm(form, state, preview) {
  const input = (id) => form.querySelector(`#${id}`);
  return {
    title: input('log-title').value,
    provider: textOrNull(input('log-provider')),
    completed_on: input('log-date').value.trim(),
    hours: input('log-hours').value,
    cost: textOrNull(input('log-cost')),
    categories: input('log-categories').value.split(',').map((tag) => tag.trim()).filter(Boolean),
    notes: textOrNull(input('log-notes')),
    proof_file: state.proofPath,
    credit_to: preview.creditTo(),
  };
}

function loggedSummary(logged) {
  const credited = logged.outcomes.filter((outcome) => outcome.credited);
  return [
    h('p', null, h('strong', null, `Logged “${logged.title}”`), ' (', dateElement(logged.completed_on), ').'),
    logged.outcomes.length
      ? h('ul', { class: 'plain-list' }, logged.outcomes.map((outcome) =>
        h('li', null, `${outcome.abbreviation}: `, outcomeText(outcome))))
      : null,
    credited.length === 0 && logged.outcomes.length ? h('p', null, 'It did not count toward any credential.') : null,
  ];
}

/** Wires the live preview: debounced on typing, ignoring answers that arrive out of order. */
function livePreview(form, state, preview) {
  let timer = null;
  let latest = 0;
  async function run() {
    if (!isCompleteEnough(form)) {
      preview.showMessage(FILL_IN_MESSAGE);
      return;
    }
    const activity = activityForm(form, state, preview);
    if (activity.credit_to === null) {
      preview.showNoneTicked();
      return;
    }
    latest += 1;
    const request = latest;
    try {
      const outcomes = await previewCredits(activity);
      if (request === latest) preview.update(outcomes);
    } catch (error) {
      if (request !== latest) return;
      const where = error.field ? ` (${error.field})` : '';
      preview.showMessage(h('span', { class: 'preview-problem' }, `No preview yet${where}: ${error.message}`));
    }
  }
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, PREVIEW_DELAY_MS);
  };
}

async function submit(event, form, state, preview, app) {
  event.preventDefault();
  clearErrors(form);
  const activity = activityForm(form, state, preview);
  if (activity.credit_to === null) {
    showError(form, { field: 'for', message: NONE_TICKED_MESSAGE });
    return;
  }
  const button = form.querySelector('#save-activity');
  button.disabled = true;
  try {
    const logged = await logActivity(activity);
    form.reset();
    flash(...loggedSummary(logged));
    app.navigate('#/dashboard');
  } catch (error) {
    showError(form, error);
  } finally {
    button.disabled = false;
  }
}

// --- the log of past activities ------------------------------------------------------------------

function creditText(credit, held) {
  const status = held.get(credit.credential_id);
  const category = credit.category ? ` (category ${credit.category})` : '';
  return `${status?.abbreviation ?? `#${credit.credential_id}`} ${formatUnits(credit.units, status?.unit)}${category}`;
}

function activityItem(activity, held, onDelete) {
  const credits = activity.credits.map((credit) => creditText(credit, held));
  return h('li', { class: 'activity-item', 'data-activity-id': String(activity.id) },
    h('div', { class: 'activity-main' },
      h('strong', null, activity.title),
      h('span', { class: 'hint' }, ' · ', dateElement(activity.completed_on), ` · ${formatNumber(activity.hours)} h`,
        activity.cost_cents ? ` · ${formatMoney(activity.cost_cents)}` : '',
        activity.provider ? ` · ${activity.provider}` : ''),
      h('span', { class: 'block hint' }, credits.length ? `Credited: ${credits.join(', ')}` : 'Not credited to any credential')),
    h('div', { class: 'activity-actions' },
      activity.proof ? h('button', { type: 'button', class: 'button small open-proof', 'data-activity-id': String(activity.id), on: { click: () => openProof(activity.id).catch((error) => alertInline(error)) } }, 'Open proof') : null,
      h('button', { type: 'button', class: 'button small danger delete-activity', on: { click: () => onDelete(activity) } }, 'Delete')));
}

function alertInline(error) {
  document.getElementById('activity-log')?.prepend(h('p', { class: 'form-error', role: 'alert' }, error.message));
}

async function fillActivityLog(section, statuses) {
  const activities = await listActivities();
  const held = new Map(statuses.map((status) => [status.id, status]));
  const onDelete = async (activity) => {
    const sure = await confirmDialog({
      title: `Delete “${activity.title}”?`,
      message: 'Its credits are taken back from every credential, and its proof copy is no longer listed.',
      confirmLabel: 'Delete activity',
      danger: true,
    });
    if (!sure) return;
    try {
      await deleteActivity(activity.id);
      await fillActivityLog(section, statuses);
    } catch (error) {
      alertInline(error);
    }
  };
  const recent = [...activities].sort((a, b) => b.completed_on.localeCompare(a.completed_on));
  replaceChildren(section,
    h('h2', null, 'Your log'),
    recent.length
      ? h('ul', { class: 'activity-list' }, recent.map((activity) => activityItem(activity, held, onDelete)))
      : h('p', { class: 'hint' }, 'Nothing logged yet.'));
}

export async function render(_params, app) {
  const [statuses, info] = await Promise.all([getStatus(), appInfo().catch(() => null)]);
  const state = { proofPath: null };
  let schedulePreview = () => {};
  const preview = new CreditPreview(statuses, () => schedulePreview());
  const form = h('form', { id: 'log-form', class: 'form', novalidate: true },
    activityFields(statuses, info?.today ?? ''),
    proofField(state),
    preview.element,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary', id: 'save-activity' }, 'Save activity')));
  schedulePreview = livePreview(form, state, preview);
  form.addEventListener('input', (event) => {
    if (!event.target.closest('#credit-preview')) clearFieldError(event.target.closest('.field'));
    schedulePreview();
  });
  form.addEventListener('submit', (event) => submit(event, form, state, preview, app));
  schedulePreview();
  const activityLog = h('section', { id: 'activity-log', class: 'activity-log' });
  fillActivityLog(activityLog, statuses).catch((error) => alertInline(error));
  return h('section', { id: 'log-view' },
    h('header', { class: 'view-header' },
      h('div', null, h('h1', null, 'Log CECs'),
        h('p', { class: 'subtitle' }, 'Log a course once; Recert counts it toward every credential it serves, in each body’s own unit.'))),
    form,
    activityLog);
}
