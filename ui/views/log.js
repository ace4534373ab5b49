// Logging a course once, with a live preview of what it earns toward each credential held, and
// editing one logged before. The form is never cleared on an error: every problem shows beside
// its field, and what was typed stays. The core reads the date (ISO or MM/DD/YYYY) and the hours
// (1.5, 1h30, 90 min); the form echoes what it read.

import {
  appInfo, editActivity, getStatus, logActivity, pickProofFile, previewCredits, renewCredential,
} from '../api.js';
import { attachDatePicker } from '../date-picker.js';
import { h, replaceChildren, textField } from '../dom.js';
import { clearErrors, clearFieldError, flash, showError } from '../feedback.js';
import {
  centsToInput, dateElement, fileName, formatDate, formatNumber, formatUnits, parseIsoDate, sentenceWithDates,
} from '../format.js';
import { fillActivityLog, showListError } from './activity-list.js';
import { certificateReader } from './certificate-reader.js';

const PREVIEW_DELAY_MS = 300;
const NONE_TICKED_MESSAGE =
  'No credential is ticked. Tick the credentials this activity counts toward (with none ticked nothing would be credited).';

const FILL_IN_MESSAGE = 'Fill in the title, date and hours to see what each credential would receive.';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

/** "+0.8 CEU · category A", or why a credential gets nothing. */
function outcomeText(outcome) {
  if (outcome.pending) {
    return [`Needs approval: +${formatUnits(outcome.units, outcome.unit)} `, sentenceWithDates(outcome.reason ?? '')];
  }
  if (!outcome.credited) return ['Not credited: ', sentenceWithDates(outcome.reason ?? 'not selected')];
  const parts = [`+${formatUnits(outcome.units, outcome.unit)}`];
  if (outcome.kept) {
    parts.push(' · counted toward a cycle that has closed; kept as counted');
    return parts;
  }
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
    this.rows = new Map(); // credential id -> { element, checkbox, override, outcomeLine, touched, initialOverride }
    this.initialOverrides = new Map(); // editing: credential id -> units the user typed when logging
    this.message = h('p', { class: 'preview-message', 'aria-live': 'polite' }, FILL_IN_MESSAGE);
    this.list = h('ul', { class: 'preview-rows' });
    this.element = h('section', { id: 'credit-preview', class: 'form-section', 'aria-labelledby': 'credit-preview-title' },
      h('h2', { id: 'credit-preview-title' }, 'What it counts toward'),
      h('p', { class: 'hint' }, 'Untick a credential to keep this activity away from it; type units to replace the computed ones (e.g. what the certificate says).'),
      h('div', { class: 'preview-errors', 'data-field': 'for units' }),
      this.message,
      this.list);
  }

  /**
   * True once the user chose credentials by hand; until then the backend credits every one it
   * can (when editing: keeps the activity's current choice).
   */
  isRestricted() {
    return [...this.rows.values()].some((row) => row.touched || row.override.value.trim() !== row.initialOverride);
  }

  /** Forgets every row, e.g. when an activity is opened for editing with its own typed units. */
  reset(initialOverrides = new Map()) {
    for (const row of this.rows.values()) row.element.remove();
    this.rows.clear();
    this.initialOverrides = initialOverrides;
    this.showMessage(FILL_IN_MESSAGE);
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
    const initialOverride = this.initialOverrides.get(id) ?? '';
    override.value = initialOverride;
    const row = {
      checkbox, override, outcomeLine, touched: false, initialOverride, isCard,
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
      // A course waiting for a body's approval is still credited to it, as pending.
      if (!row.touched) row.checkbox.checked = outcome.credited || outcome.pending;
      // A credit already counted toward a closed cycle stays as counted: nothing to choose.
      row.checkbox.disabled = row.isCard || outcome.kept;
      row.element.dataset.credited = String(outcome.credited);
      row.element.dataset.pending = String(Boolean(outcome.pending));
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
    const pending = outcomes.filter((outcome) => outcome.pending).length;
    const waiting = pending ? ` ${formatNumber(pending)} more once the body approves it.` : '';
    this.showMessage(outcomes.length
      ? `Counts toward ${formatNumber(credited)} of ${formatNumber(outcomes.length)} credentials.${waiting}`
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
  // While editing, the activity's own proof is kept unless a new file replaces it or the user
  // removes it; the line says which will happen on Save.
  const show = () => {
    const current = state.editing?.proof?.original_name ?? null;
    const kept = current && !state.removeProof ? current : null;
    if (state.proofPath) {
      name.textContent = current ? `${fileName(state.proofPath)} (replaces ${current})` : fileName(state.proofPath);
    } else if (kept) {
      name.textContent = `${kept} (kept)`;
    } else if (current) {
      name.textContent = `No proof: ${current} will be removed`;
    } else {
      name.textContent = 'No file chosen';
    }
    name.title = state.proofPath ?? '';
    clear.hidden = !(state.proofPath || kept);
    clear.textContent = state.proofPath ? 'Remove file' : 'Remove proof';
    pick.textContent = state.proofPath || kept ? 'Replace…' : 'Choose file…';
  };
  state.showProof = show;
  const container = h('fieldset', { class: 'form-section', id: 'proof-section', 'data-field': 'proof' },
    h('legend', null, 'Proof (optional)'),
    h('div', { class: 'input-row' }, pick, name, clear),
    h('p', { class: 'hint', id: 'proof-hint' }, 'A certificate or receipt (PDF or image). Recert keeps its own copy in the data folder.'));
  pick.addEventListener('click', async () => {
    clearFieldError(container);
    try {
      const path = await pickProofFile();
      if (path) {
        state.proofPath = path;
        state.removeProof = false;
      }
      show();
    } catch (error) {
      showError(container.closest('form') ?? container, { ...error, field: 'proof', message: error.message });
    }
  });
  clear.addEventListener('click', () => {
    if (state.proofPath) state.proofPath = null;
    else state.removeProof = true;
    show();
    pick.focus();
  });
  return container;
}

/** "= May 10, 2019": what the core read from the field, shown under it. */
function echoLine(id) {
  return h('p', { class: 'echo', id, 'aria-live': 'polite' });
}

/** Puts the echo line after the input (or its row) and lets the input point at it. */
function withEcho(field, echo) {
  const input = field.querySelector('input');
  (input.closest('.input-row') ?? input).after(echo);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), echo.id].filter(Boolean).join(' '));
  return field;
}

function activityFields(statuses, today, state) {
  const date = textField({
    id: 'log-date', label: 'Completed on', field: 'date', required: true, placeholder: 'YYYY-MM-DD', value: today,
    hint: 'YYYY-MM-DD or MM/DD/YYYY, or pick it from the calendar.',
  });
  const dateInput = date.querySelector('input');
  attachDatePicker(dateInput, {
    label: 'Completed on',
    max: today || null,
    // The calendar opens on the typed day: ISO text as it stands, else what the core last read
    // (a US date), so a date typed a moment ago is not missed.
    readDate: () => (parseIsoDate(dateInput.value.trim()) ? dateInput.value.trim() : state.readDate),
  });
  const hours = textField({
    id: 'log-hours', label: 'Hours of study', field: 'hours', required: true, placeholder: 'e.g. 8',
    hint: 'As you like: 1.5, 1h30 or 90 min.',
  });
  return h('fieldset', { class: 'form-section', id: 'activity-fields' },
    h('legend', { id: 'activity-legend' }, 'The activity'),
    h('div', { class: 'field-grid' },
      textField({ id: 'log-title', label: 'Title', field: 'title', required: true, placeholder: 'e.g. Kettlebell workshop' }),
      textField({ id: 'log-provider', label: 'Provider (optional)', field: 'provider' }),
      withEcho(date, echoLine('log-date-echo')),
      withEcho(hours, echoLine('log-hours-echo')),
      textField({ id: 'log-cost', label: 'Cost (USD, optional)', field: 'cost', inputmode: 'decimal', placeholder: 'e.g. 149' })),
    textField({ id: 'log-categories', label: 'Category tags (optional)', field: 'category', hint: categoriesHint(statuses) }),
    approvalsField(statuses),
    textField({ id: 'log-notes', label: 'Notes (optional)', field: 'notes', multiline: true }));
}

/** The bodies of the credentials held, once each. */
function heldBodies(statuses) {
  return [...new Set(statuses.filter((status) => status.kind !== 'cpr_aed').map((status) => status.body_short))];
}

const bodyId = (body) => `approved-${body.replace(/[^A-Za-z0-9]/g, '-')}`;

/** "Approved by": a box per body held, with the approval or course number if the user has it. */
function approvalsField(statuses) {
  const bodies = heldBodies(statuses);
  if (!bodies.length) return null;
  return h('fieldset', { class: 'approvals', id: 'log-approvals', 'data-field': 'approved-by' },
    h('legend', null, 'Approved by (optional)'),
    h('p', { class: 'hint' }, 'Some bodies count only courses they approved; tick each body that approved this one (its course or approval number if you have it).'),
    bodies.map((body) => {
      const id = bodyId(body);
      return h('div', { class: 'approval-row' },
        h('input', { type: 'checkbox', id, class: 'approved-by', 'data-body': body }),
        h('label', { for: id }, body),
        h('input', {
          type: 'text', id: `${id}-number`, class: 'approval-number', autocomplete: 'off',
          placeholder: 'number (optional)', 'aria-label': `${body} approval or course number`,
        }));
    }));
}

/** The ticked bodies as the core reads them: BODY or BODY:NUMBER. */
function approvedBy(form) {
  return [...form.querySelectorAll('input.approved-by:checked')].map((box) => {
    const number = form.querySelector(`#${box.id}-number`)?.value.trim();
    return number ? `${box.dataset.body}:${number}` : box.dataset.body;
  });
}

const valueOf = (form, id) => form.querySelector(`#${id}`).value;

/** Title, date and hours typed: enough to ask what it would earn. The core decides if they are right. */
function isCompleteEnough(form) {
  return ['log-title', 'log-date', 'log-hours'].every((id) => valueOf(form, id).trim() !== '');
}

const tags = (form) => valueOf(form, 'log-categories').split(',').map((tag) => tag.trim()).filter(Boolean);

/** The activity form as the backend reads it; `credit_to` null means "nothing ticked". */
function activityForm(form, state, preview) {
  const input = (id) => form.querySelector(`#${id}`);
  return {
    title: input('log-title').value,
    provider: textOrNull(input('log-provider')),
    completed_on: input('log-date').value.trim(),
    hours: input('log-hours').value,
    cost: textOrNull(input('log-cost')),
    categories: tags(form),
    notes: textOrNull(input('log-notes')),
    proof_file: state.editing ? null : state.proofPath,
    credit_to: preview.creditTo(),
    approved_by: approvedBy(form),
  };
}

/** The same as changes to the activity being edited: every field, an empty one clears it. */
function activityChanges(form, state, preview) {
  return {
    proof_file: state.proofPath,
    remove_proof: state.removeProof && !state.proofPath,
    title: valueOf(form, 'log-title'),
    provider: valueOf(form, 'log-provider'),
    completed_on: valueOf(form, 'log-date').trim(),
    hours: valueOf(form, 'log-hours'),
    cost: valueOf(form, 'log-cost'),
    categories: tags(form),
    notes: valueOf(form, 'log-notes'),
    // Untouched ticks keep the activity's current choice (and units typed when it was logged).
    credit_to: preview.isRestricted() ? preview.creditTo() : null,
    approved_by: approvedBy(form),
  };
}

/** After saving a CPR/AED course: one button per card held, to record the new card it gave. */
function cardOffers(logged, app) {
  return (logged.card_offers ?? []).map((offer) => {
    const status = h('span', { class: 'card-offer-status', role: 'status' });
    const button = h('button', {
      type: 'button', class: 'button small primary card-offer', 'data-credential-id': String(offer.credential_id),
      'data-date': offer.issued_on,
    }, `Record your new ${offer.abbreviation} card (issued ${formatDate(offer.issued_on)})`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = '';
      try {
        const renewed = await renewCredential(offer.credential_id, offer.issued_on, null, null);
        flash(`Recorded your new ${renewed.abbreviation} card, issued `, dateElement(offer.issued_on),
          '; it runs to ', dateElement(renewed.cycle_end), '.');
        app.refresh();
      } catch (error) {
        status.textContent = `Could not record it: ${error.message}`;
        button.disabled = false;
      }
    });
    return h('p', { class: 'card-offer-line' }, 'Did this course give you a new card? ', button, ' ', status);
  });
}

function savedSummary(logged, verb, app) {
  const credited = logged.outcomes.filter((outcome) => outcome.credited);
  // A card offered below needs no "not credited: a card collects no units" line as well.
  const offered = new Set((logged.card_offers ?? []).map((offer) => offer.credential_id));
  const listed = logged.outcomes.filter((outcome) => !offered.has(outcome.credential_id));
  return [
    h('p', null, h('strong', null, `${verb} “${logged.title}”`), ' (', dateElement(logged.completed_on), ').'),
    listed.length
      ? h('ul', { class: 'plain-list' }, listed.map((outcome) =>
        h('li', null, `${outcome.abbreviation}: `, outcomeText(outcome))))
      : null,
    credited.length === 0 && logged.outcomes.length ? h('p', null, 'It does not count toward any credential.') : null,
    cardOffers(logged, app),
  ];
}

/** Shows what the core read from the date and hours fields, or nothing when it could not. */
function showEchoes(form, answer) {
  const dateEcho = form.querySelector('#log-date-echo');
  const hoursEcho = form.querySelector('#log-hours-echo');
  dateEcho.textContent = answer?.completed_on ? `= ${formatDate(answer.completed_on)}` : '';
  dateEcho.dataset.date = answer?.completed_on ?? '';
  hoursEcho.textContent = answer?.hours !== null && answer?.hours !== undefined ? `= ${formatNumber(answer.hours)} h` : '';
  hoursEcho.dataset.hours = answer?.hours ?? '';
}

function problemsText(problems) {
  return problems.map(({ field, message }) => `${field} — ${message}`).join('; ');
}

/** Wires the live preview: debounced on typing, ignoring answers that arrive out of order. */
function livePreview(form, state, preview) {
  let timer = null;
  let latest = 0;
  async function run() {
    const activity = activityForm(form, state, preview);
    const noneTicked = activity.credit_to === null;
    if (noneTicked) activity.credit_to = [];
    const typedSomething = ['log-title', 'log-date', 'log-hours'].some((id) => valueOf(form, id).trim() !== '');
    if (!typedSomething) {
      showEchoes(form, null);
      preview.showMessage(FILL_IN_MESSAGE);
      return;
    }
    latest += 1;
    const request = latest;
    try {
      const answer = await previewCredits(activity, state.editing?.id ?? null);
      if (request !== latest) return;
      state.readDate = answer.completed_on;
      showEchoes(form, answer);
      if (noneTicked) preview.showNoneTicked();
      else if (answer.outcomes) preview.update(answer.outcomes);
      else if (!isCompleteEnough(form)) preview.showMessage(FILL_IN_MESSAGE);
      else preview.showMessage(h('span', { class: 'preview-problem' }, `No preview yet: ${problemsText(answer.problems)}`));
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
    if (state.editing) {
      const edited = await editActivity(state.editing.id, activityChanges(form, state, preview));
      flash(...savedSummary(edited, 'Saved changes to', app));
      app.refresh();
    } else {
      const logged = await logActivity(activity);
      form.reset();
      flash(...savedSummary(logged, 'Logged', app));
      app.navigate('#/dashboard');
    }
  } catch (error) {
    showError(form, error);
  } finally {
    button.disabled = false;
  }
}

/** Opens a logged activity in the form: its values, its typed units; Save changes or Cancel. */
function startEditing(activity, form, state, preview, schedulePreview) {
  clearErrors(form);
  state.editing = activity;
  const set = (id, value) => {
    form.querySelector(`#${id}`).value = value ?? '';
  };
  set('log-title', activity.title);
  set('log-provider', activity.provider);
  set('log-date', activity.completed_on);
  set('log-hours', String(activity.hours));
  set('log-cost', activity.cost_cents ? centsToInput(activity.cost_cents) : '');
  set('log-categories', activity.categories.join(', '));
  set('log-notes', activity.notes);
  for (const box of form.querySelectorAll('input.approved-by')) {
    const approval = (activity.approved_by ?? []).find((spec) => spec.split(':')[0] === box.dataset.body);
    box.checked = Boolean(approval);
    const number = form.querySelector(`#${box.id}-number`);
    if (number) number.value = approval?.includes(':') ? approval.slice(approval.indexOf(':') + 1) : '';
  }
  const typed = new Map(activity.credits.filter((credit) => credit.overridden).map((credit) => [credit.credential_id, String(credit.units)]));
  preview.reset(typed);
  form.classList.add('editing');
  form.querySelector('#activity-legend').textContent = `Editing “${activity.title}”`;
  state.proofPath = null;
  state.removeProof = false;
  state.showProof();
  form.querySelector('#save-activity').textContent = 'Save changes';
  form.querySelector('#cancel-edit').hidden = false;
  form.querySelector('#editing-banner').hidden = false;
  schedulePreview();
  form.scrollIntoView({ block: 'start' });
  form.querySelector('#log-title').focus();
}

export async function render(_params, app) {
  const [statuses, info] = await Promise.all([getStatus(), appInfo().catch(() => null)]);
  const state = { proofPath: null, removeProof: false, editing: null, readDate: null };
  let schedulePreview = () => {};
  const preview = new CreditPreview(statuses, () => schedulePreview());
  const cancel = h('button', { type: 'button', class: 'button', id: 'cancel-edit', hidden: true, on: { click: () => app.refresh() } }, 'Cancel');
  const form = h('form', { id: 'log-form', class: 'form log-form', novalidate: true },
    h('div', { class: 'log-main' },
      h('p', { class: 'notice editing-banner', id: 'editing-banner', hidden: true },
        'Editing a logged activity: its credits are worked out again when you save. Units you typed for a credential stay unless you change them.'),
      activityFields(statuses, info?.today ?? '', state),
      proofField(state)),
    // Beside the fields on wide windows, and kept in view while the user types.
    h('div', { class: 'log-side' },
      preview.element,
      h('div', { class: 'actions' },
        cancel,
        h('button', { type: 'submit', class: 'button primary', id: 'save-activity' }, 'Save activity'))));
  form.querySelector('.log-main').prepend(certificateReader(form, state));
  schedulePreview = livePreview(form, state, preview);
  form.addEventListener('input', (event) => {
    if (!event.target.closest('#credit-preview')) clearFieldError(event.target.closest('.field'));
    schedulePreview();
  });
  form.addEventListener('submit', (event) => submit(event, form, state, preview, app));
  schedulePreview();
  const activityLog = h('section', { id: 'activity-log', class: 'activity-log' });
  const onEdit = (activity) => startEditing(activity, form, state, preview, schedulePreview);
  fillActivityLog(activityLog, statuses, { onEdit }).catch((error) => showListError(activityLog, error));
  return h('section', { id: 'log-view' },
    h('header', { class: 'view-header' },
      h('div', null, h('h1', null, 'Log CECs'),
        h('p', { class: 'subtitle' }, 'Log a course once; Recert counts it toward every credential it serves, in each body’s own unit.'))),
    form,
    activityLog);
}
