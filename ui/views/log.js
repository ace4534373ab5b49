// Logging a course once, with a live preview of what it earns toward each credential held, and
// editing one logged before. The form is never cleared on an error: every problem shows beside
// its field, and what was typed stays. The core reads the date (ISO or MM/DD/YYYY) and the hours
// (1.5, 1h30, 90 min); the form echoes what it read.

import {
  appInfo, completePlanned, editActivity, getStatus, logActivity, plannedLogForm, previewCredits, renewCredential,
} from '../api.js';
import { attachDatePicker } from '../date-picker.js';
import { h, textField } from '../dom.js';
import { clearErrors, clearFieldError, flash, showError } from '../feedback.js';
import {
  centsToInput, dateElement, formatDate, formatNumber, parseIsoDate,
} from '../format.js';
import { fillActivityLog, showListError } from './activity-list.js';
import { CreditPreview, FILL_IN_MESSAGE, NONE_TICKED_MESSAGE, outcomeText } from './credit-preview.js';
import { proofField } from './proof-field.js';
import { certificateReader } from './certificate-reader.js';

const PREVIEW_DELAY_MS = 300;

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

// --- the form ------------------------------------------------------------------------------

function categoriesHint(statuses) {
  const keys = statuses
    .filter((status) => status.categories.length)
    .map((status) => `${status.abbreviation}: ${status.categories.map((category) => category.key).join(', ')}`);
  const base = 'Comma-separated tags such as A, B, cpr or ethics. A tag that matches a credential’s category key puts the units in that category; without one they go to its default category.';
  return keys.length ? `${base} Your categories — ${keys.join('; ')}.` : base;
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

/** The ticked bodies as the core reads them: BODY or BODY:NUMBER (and, for a planned course,
 *  the bodies it named that no credential held has a box for). */
function approvedBy(form, state) {
  return [...form.querySelectorAll('input.approved-by:checked')].map((box) => {
    const number = form.querySelector(`#${box.id}-number`)?.value.trim();
    return number ? `${box.dataset.body}:${number}` : box.dataset.body;
  }).concat(state?.otherApprovals ?? []);
}

/** Ticks the approving bodies of `specs` (BODY or BODY:NUMBER) and types their numbers; returns
 *  the specs with no box. */
function setApprovals(form, specs) {
  const boxes = [...form.querySelectorAll('input.approved-by')];
  for (const box of boxes) {
    const approval = specs.find((spec) => spec.split(':')[0] === box.dataset.body);
    box.checked = Boolean(approval);
    const number = form.querySelector(`#${box.id}-number`);
    if (number) number.value = approval?.includes(':') ? approval.slice(approval.indexOf(':') + 1) : '';
  }
  return specs.filter((spec) => !boxes.some((box) => box.dataset.body === spec.split(':')[0]));
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
    approved_by: approvedBy(form, state),
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
    } else if (state.planned) {
      // Logged and taken off the plan in one transaction.
      const logged = await completePlanned(state.planned, activity);
      form.reset();
      flash(...savedSummary(logged, 'Logged', app), h('p', null, 'It has left your plan.'));
      app.navigate('#/plan');
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

function setField(form, id, value) {
  form.querySelector(`#${id}`).value = value ?? '';
}

/** Opens a logged activity in the form: its values, its typed units; Save changes or Cancel. */
function startEditing(activity, form, state, preview, schedulePreview) {
  clearErrors(form);
  state.editing = activity;
  state.otherApprovals = [];
  form.querySelector('#planned-banner').hidden = true;
  const set = (id, value) => setField(form, id, value);
  set('log-title', activity.title);
  set('log-provider', activity.provider);
  set('log-date', activity.completed_on);
  set('log-hours', String(activity.hours));
  set('log-cost', activity.cost_cents ? centsToInput(activity.cost_cents) : '');
  set('log-categories', activity.categories.join(', '));
  set('log-notes', activity.notes);
  setApprovals(form, activity.approved_by ?? []);
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

/** A planned course marked as done: its fields filled in, its choice of credentials (with the
 *  units the plan gave a body) in the preview; Cancel goes back to the plan and changes nothing. */
function startFromPlanned(prefill, form, state, preview) {
  const set = (id, value) => setField(form, id, value);
  set('log-title', prefill.title);
  set('log-provider', prefill.provider);
  set('log-date', prefill.completed_on);
  set('log-hours', prefill.hours);
  set('log-cost', prefill.cost);
  set('log-categories', prefill.categories.join(', '));
  state.otherApprovals = setApprovals(form, prefill.approved_by);
  preview.choose(prefill.credit_to ?? []);
  form.querySelector('#activity-legend').textContent = `From your plan: “${prefill.title}”`;
  form.querySelector('#cancel-edit').hidden = false;
  form.querySelector('#planned-banner').hidden = false;
}

export async function render(params, app) {
  const [statuses, info, prefill] = await Promise.all([
    getStatus(), appInfo().catch(() => null), params.planned ? plannedLogForm(params.planned) : null,
  ]);
  const state = { proofPath: null, removeProof: false, editing: null, readDate: null, planned: prefill ? params.planned : null };
  let schedulePreview = () => {};
  const preview = new CreditPreview(statuses, () => schedulePreview());
  const cancel = h('button', {
    type: 'button', class: 'button', id: 'cancel-edit', hidden: true,
    on: { click: () => (state.planned && !state.editing ? app.navigate('#/plan') : app.refresh()) },
  }, 'Cancel');
  const form = h('form', { id: 'log-form', class: 'form log-form', novalidate: true },
    h('div', { class: 'log-main' },
      h('p', { class: 'notice editing-banner', id: 'editing-banner', hidden: true },
        'Editing a logged activity: its credits are worked out again when you save. Units you typed for a credential stay unless you change them.'),
      h('p', { class: 'notice editing-banner', id: 'planned-banner', hidden: true },
        'Filled in from your plan: check the date, attach the certificate and save. The course then leaves your plan; Cancel keeps it there.'),
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
  if (prefill) startFromPlanned(prefill, form, state, preview);
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
