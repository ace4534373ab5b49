// One credential in full: status and deadline, progress by category, the credits behind it,
// past cycles, its rules (editable), renewing, and removing it.

import {
  auditPacket, credentialDetail, editCredential, openProof, removeCredential, renewCredential, settleCredit, undoRenewal,
} from '../api.js';
import { dateField } from '../date-picker.js';
import { checkboxField, h, selectField, textField } from '../dom.js';
import { clearErrors, clearFieldError, confirmDialog, flash, showError } from '../feedback.js';
import {
  centsToInput, dateElement, formatMoney, formatNumber, formatUnits, moneyOrUnknown, renewalCostName, sentenceWithDates,
  statusBadge,
} from '../format.js';
import { confirmExpiryPanel, deadlineLine, fillInButton, progressBlock, warningsList } from './credential-parts.js';
import { provenanceList, rulesFromCredential, rulesList } from './rules.js';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

function section(title, id, ...content) {
  const headingId = `${id}-title`;
  return h('section', { class: 'panel', id, 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...content);
}

/** Wide tables scroll inside their own box instead of widening the page at 200% zoom. */
function table(headers, rows, caption) {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', null,
      h('thead', null, h('tr', null, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', null, rows)));
}

const limit = (value, unit) => (value === null || value === undefined ? '—' : formatUnits(value, unit));

// --- status and progress --------------------------------------------------------------------

function header(status) {
  return h('header', { class: 'view-header detail-header' },
    h('div', null,
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/dashboard' }, '← Dashboard')),
      h('h1', null, status.name),
      h('p', { class: 'subtitle' }, status.abbreviation, ' · ', status.body, status.number ? ` · No. ${status.number}` : '')),
    statusBadge(status.status, status.status_label));
}

function categoriesTable(status) {
  if (!status.categories.length) return null;
  const rows = status.categories.map((category) => h('tr', { 'data-category': category.key, 'data-met': String(category.met) },
    h('th', { scope: 'row' },
      category.min !== null && category.min !== undefined
        ? h('span', { class: category.met ? 'met' : 'unmet' }, category.met ? '✓ ' : '○ ',
          h('span', { class: 'visually-hidden' }, category.met ? 'met: ' : 'not met yet: '))
        : null,
      h('strong', null, category.key), h('span', { class: 'hint block' }, category.name)),
    // `credited` is what the courses gave; `earned` what counts once the category maximum applies.
    h('td', { class: 'category-credited' }, formatUnits(category.credited, status.unit)),
    h('td', { class: 'category-counts' }, formatUnits(category.earned, status.unit)),
    h('td', null, limit(category.min, status.unit)),
    h('td', null, limit(category.max, status.unit))));
  return table(['Category', 'Credited', 'Counts', 'Minimum', 'Maximum'], rows, 'Progress by category');
}

function progressSection(status, app) {
  return section('This cycle', 'cycle-progress',
    h('p', null, 'Cycle ', dateElement(status.cycle_start), ' – ', dateElement(status.cycle_end),
      status.kind === 'cpr_aed' ? '' : ` · ${formatNumber(status.activity_count)} ${status.activity_count === 1 ? 'activity' : 'activities'} logged`),
    progressBlock(status, app),
    status.shortfall > 0 ? h('p', null, `Still needed: ${formatUnits(status.shortfall, status.unit)}`,
      status.pace_text ? ` (${status.pace_text})` : '') : null,
    categoriesTable(status),
    status.categories.length ? h('p', { class: 'hint' }, '“Credited” is what your courses gave; “Counts” is what remains after each category’s maximum.') : null);
}

function moneySection(status, app) {
  const rows = [
    [renewalCostName(status.kind), [moneyOrUnknown(status.renewal_fee_cents, status.body_short),
      status.renewal_fee_cents === null ? [' ', fillInButton(status, 'renewal_fee', app)] : null,
      status.renewal_fee_cents === null && status.last_published_fee
        ? h('span', { class: 'hint block last-published-fee' }, `Last published: ${status.last_published_fee}. Not this cycle’s fee.`) : null]],
  ];
  // A CPR/AED card has no late fee: it is renewed by a course.
  if (status.kind !== 'cpr_aed' && (status.status === 'grace' || status.status === 'due_soon')) {
    rows.push(['Late fee if past the deadline', moneyOrUnknown(status.late_fee_cents, status.body_short)]);
  }
  if (status.status === 'grace') {
    // By the last day of grace, as the card and Costs say: not "now".
    rows.push([status.grace_ends ? ['Due by ', dateElement(status.grace_ends), ', with the late fee'] : 'Due with the late fee',
      moneyOrUnknown(status.amount_due_cents, status.body_short)]);
  }
  if (status.fee_note) rows.splice(1, 0, ['How the fee is worked out', status.fee_note]);
  rows.push(['Courses this cycle', formatMoney(status.course_costs_cents)]);
  return section('Money', 'money',
    h('dl', { class: 'rules compact' }, rows.map(([term, value]) => [h('dt', null, term), h('dd', null, value)])));
}

function unknownsNote(status, app) {
  if (!status.unknowns.length) return null;
  return h('div', { class: 'unknowns' },
    h('p', null, 'Not known yet (the sources do not say). Fill in what your body tells you:'),
    h('ul', { class: 'unknown-list' }, status.unknowns.map((text, index) => {
      const key = status.unknown_fields?.[index];
      return h('li', null, h('span', { class: 'unknown' }, text), key ? [' ', fillInButton(status, key, app)] : null);
    })));
}

// --- credits and past cycles -----------------------------------------------------------------

function proofButton(credit, statusLine) {
  if (!credit.has_proof) return '—';
  return h('button', {
    type: 'button', class: 'button small open-proof', 'data-activity-id': String(credit.activity_id),
    on: {
      click: async () => {
        statusLine.textContent = '';
        try {
          await openProof(credit.activity_id);
        } catch (error) {
          statusLine.textContent = `Could not open the proof: ${error.message}`;
        }
      },
    },
  }, 'Open proof');
}

/** What a course that needed the body's approval shows: why it waits, and the body's answer. */
function standingCell(credit, status, app) {
  if (credit.standing === 'refused') return h('span', { class: 'hint' }, `${status.body_short} did not accept it`);
  if (credit.standing !== 'pending') return credit.overridden ? 'Counted (units granted)' : 'Counted';
  const units = h('input', {
    type: 'text', class: 'granted-units', inputmode: 'decimal', value: String(credit.units),
    'aria-label': `Units ${status.body_short} granted`, id: `granted-${credit.activity_id}`,
  });
  const answer = (granted) => async () => {
    try {
      await settleCredit(credit.activity_id, status.id, granted === null ? null : units.value);
      flash(granted === null ? 'Recorded: not accepted.' : 'Recorded: accepted, the units now count.');
      app.refresh();
    } catch (error) {
      flash(error.message);
    }
  };
  return h('div', { class: 'pending-credit' },
    h('p', null, 'Pending: ', credit.pending_reason ?? ''),
    h('div', { class: 'input-row' }, units,
      h('button', { type: 'button', class: 'button small primary accept-credit', on: { click: answer(true) } }, 'Accepted'),
      h('button', { type: 'button', class: 'button small refuse-credit', on: { click: answer(null) } }, 'Refused')));
}

function creditsSection(detail, app) {
  const { credits, status } = detail;
  const statusLine = h('p', { class: 'inline-status', role: 'status' });
  if (!credits.length) {
    // A CPR/AED card collects no units: renewing it is recording the new card, not logging CECs.
    if (status.kind === 'cpr_aed') {
      return section('Credits', 'credits', h('p', { class: 'hint' }, 'A CPR/AED card collects no continuing-education units. After your next course, record the new card under Renew.'));
    }
    return section('Credits', 'credits', h('p', { class: 'hint' }, 'No activity counts toward this credential yet. ',
      h('a', { href: '#/log' }, 'Log one')));
  }
  const sorted = [...credits].sort((a, b) => b.completed_on.localeCompare(a.completed_on));
  const rows = sorted.map((credit) => h('tr', { class: 'credit-row', 'data-activity-id': String(credit.activity_id) },
    h('td', null, dateElement(credit.completed_on)),
    h('th', { scope: 'row' }, credit.title),
    h('td', null, formatUnits(credit.units, status.unit), credit.overridden ? ' (typed)' : ''),
    h('td', null, credit.category ?? '—'),
    h('td', null, credit.counts_in_current_cycle ? 'This cycle' : 'Other cycle',
      credit.late_for_cycle_end ? h('span', { class: 'hint block' }, 'Completed after the deadline of ', dateElement(credit.late_for_cycle_end), ', inside the late window: counts toward that cycle') : ''),
    h('td', null, standingCell(credit, status, app)),
    h('td', null, proofButton(credit, statusLine))));
  return section('Credits', 'credits',
    table(['Date', 'Activity', 'Units', 'Category', 'Cycle', 'Counts', 'Proof'], rows, 'Credits, one row per activity'), statusLine);
}

function pastCyclesSection(detail, app) {
  const { past_cycles: cycles, status } = detail;
  if (!cycles.length) return section('Past cycles', 'past-cycles', h('p', { class: 'hint' }, 'No renewal recorded yet.'));
  const rows = cycles.map((cycle) => h('tr', null,
    h('td', null, dateElement(cycle.start), ' – ', dateElement(cycle.end)),
    h('td', null, dateElement(cycle.renewed_on)),
    h('td', null, cycle.fee_paid_cents === null ? '—' : formatMoney(cycle.fee_paid_cents)),
    h('td', null, formatUnits(cycle.units_earned, status.unit),
      cycle.units_required === null ? '' : ` of ${formatUnits(cycle.units_required, status.unit)}`)));
  return section('Past cycles', 'past-cycles', table(['Cycle', 'Renewed on', 'Fee paid', 'Units'], rows, 'Past cycles'),
    h('p', { class: 'hint' }, 'Recorded a renewal by mistake? ', undoRenewalButton(detail.credential, app, 'Undo the last renewal')));
}

// --- renewing ---------------------------------------------------------------------------------

/** Takes back the renewal just recorded (or the latest one). */
function undoRenewalButton(credential, app, label = 'Undo') {
  const button = h('button', {
    type: 'button', class: 'button small undo-renewal',
    on: {
      click: async () => {
        button.disabled = true;
        try {
          const reopened = await undoRenewal(credential.id);
          flash(`The renewal of ${reopened.abbreviation} was taken back. The deadline is `, dateElement(reopened.cycle_end), ' again.');
        } catch (error) {
          flash(`Could not undo the renewal: ${error.message}`);
        }
        app.refresh();
      },
    },
  }, label);
  return button;
}

function renewSection(detail, app) {
  const { status, credential } = detail;
  const feeHint = status.renewal_fee_cents === null
    ? `The fee you paid; the catalog does not know it (check with ${status.body_short}).`
    : `The fee you paid; usually ${formatMoney(status.renewal_fee_cents)}.`;
  const form = h('form', { id: 'renew-form', class: 'form', novalidate: true },
    h('div', { class: 'field-grid' },
      dateField({ notAfterToday: true, id: 'renew-date', label: 'Renewed on', field: 'date', required: true, hint: 'The day you completed the renewal: YYYY-MM-DD or MM/DD/YYYY, or pick it from the calendar.' }),
      textField({ id: 'renew-fee', label: 'Fee paid (USD, optional)', inputmode: 'decimal', field: 'fee', hint: feeHint }),
      dateField({ id: 'renew-expires', label: 'New expiry (optional)', field: 'expires', hint: 'Only if your new certificate shows a different date than the rule gives.' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary', id: 'renew-button' }, 'Record renewal')));
  form.addEventListener('input', (event) => clearFieldError(event.target.closest('.field')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const input = (id) => form.querySelector(`#${id}`);
    const button = input('renew-button');
    button.disabled = true;
    const values = [input('renew-date').value.trim(), textOrNull(input('renew-fee')), textOrNull(input('renew-expires'))];
    try {
      let renewed;
      try {
        renewed = await renewCredential(credential.id, ...values);
      } catch (error) {
        // Short of the requirement: the backend asks first ("1.1 of 6.0 CEU logged; …").
        if (error.code !== 'needs_confirmation') throw error;
        const sure = await confirmDialog({ title: 'Record the renewal?', message: error.message, confirmLabel: 'Record it anyway' });
        if (!sure) return;
        renewed = await renewCredential(credential.id, ...values, true);
      }
      flash(`Renewal recorded for ${renewed.abbreviation}. The new cycle ends `, dateElement(renewed.cycle_end), '. ',
        undoRenewalButton(renewed, app));
      app.refresh();
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
  return section('Renew', 'renew',
    h('p', null, 'Renewed with ', status.body_short, '? Record it here: the current cycle closes with its credits and a new one starts.'),
    form);
}

// --- rules and editing -----------------------------------------------------------------------

/** The fields of the edit form, with the text each starts with (to send only what changed). */
function editableFields(credential) {
  const rules = credential.rules;
  const singleLateFee = rules.late_fees?.length === 1 ? centsToInput(rules.late_fees[0].fee_cents) : '';
  const lateFeeHint = rules.late_fees && rules.late_fees.length > 1
    ? `Now in tiers: ${rules.late_fees.map(({ through, fee_cents: cents }) => `${formatMoney(cents)} up to ${through}`).join(', ')}. A value typed here replaces them with one fee.`
    : 'Empty means unknown.';
  const text = (id, key, label, field, value, extra = {}) => ({ id, key, field, initial: value ?? '', build: () => textField({ id, label, field, value: value ?? '', ...extra }) });
  const fields = [
    text('edit-name', 'name', 'Name', 'name', credential.name),
    text('edit-number', 'number', 'Certificate number', 'number', credential.number),
    { ...text('edit-expires', 'expires', 'Current cycle ends', 'expires', credential.cycle_end), build: () => dateField({ id: 'edit-expires', label: 'Current cycle ends', field: 'expires', value: credential.cycle_end, hint: 'The expiry on your certificate (YYYY-MM-DD or MM/DD/YYYY).' }) },
  ];
  if (credential.kind !== 'cpr_aed') {
    fields.push(
      text('edit-units-required', 'units_required', `Units required (${rules.unit ?? 'units'})`, 'units',
        rules.units_required === null ? '' : String(rules.units_required), { inputmode: 'decimal', hint: 'Empty means unknown. A typed value replaces any proration.' }),
      text('edit-unit', 'unit', 'Unit name', 'unit', rules.unit, { placeholder: 'CEU, CEC…' }),
      text('edit-hours-per-unit', 'hours_per_unit', 'Hours of study per unit', 'hours-per-unit',
        rules.hours_per_unit === null ? '' : String(rules.hours_per_unit), { inputmode: 'decimal' }),
    );
  }
  fields.push(
    text('edit-renewal-fee', 'renewal_fee', 'Renewal fee (USD)', 'fee', centsToInput(rules.renewal_fee_cents), { inputmode: 'decimal', hint: 'Empty means unknown.' }),
    text('edit-late-fee', 'late_fee', 'Late fee (USD)', 'late-fee', singleLateFee, { inputmode: 'decimal', hint: lateFeeHint }),
    text('edit-grace', 'grace', 'Grace period', 'grace', rules.grace ?? '', { hint: 'As the body states it: 90 days, 6 months, 1 year. Empty means unknown.' }),
    text('edit-due-soon-days', 'due_soon_days', '“Due soon” warning (days before)', 'due-soon-days', String(rules.due_soon_days), { inputmode: 'numeric' }),
  );
  const notes = { id: 'edit-notes', key: 'notes', field: 'notes', initial: credential.notes ?? '', build: () => textField({ id: 'edit-notes', label: 'Notes', field: 'notes', value: credential.notes ?? '', multiline: true }) };
  return { fields, notes };
}

function requiresCprField(credential) {
  const current = credential.rules.requires_cpr_aed;
  const initial = current === null ? '' : current ? 'yes' : 'no';
  // "Unknown" is offered only while it is the stored value: the backend has no way to set it back.
  const options = [...(current === null ? [['', 'Unknown']] : []), ['yes', 'Yes'], ['no', 'No']];
  return { initial, build: () => selectField({ id: 'edit-requires-cpr', label: 'Needs a current CPR/AED card', field: 'requires_cpr_aed', options, value: initial }) };
}

/** Only the fields the user changed, as the backend's CredentialChanges. */
function collectChanges(form, fields, cpr, credential) {
  const changes = {};
  for (const field of fields) {
    const value = form.querySelector(`#${field.id}`).value;
    if (value !== field.initial) changes[field.key] = value;
  }
  const member = form.querySelector('#edit-member').checked;
  if (member !== credential.member) changes.member = member;
  const lateReporting = form.querySelector('#edit-late-reporting');
  if (lateReporting && lateReporting.checked !== credential.late_reporting) changes.late_reporting = lateReporting.checked;
  const firstAid = form.querySelector('#edit-first-aid');
  const firstAidWas = credential.covers_first_aid === null ? '' : credential.covers_first_aid ? 'yes' : 'no';
  // "Not sure" is an answer too: null, and the bodies that need First Aid ask again.
  if (firstAid && firstAid.value !== firstAidWas) changes.covers_first_aid = firstAid.value === '' ? null : firstAid.value === 'yes';
  const cprSelect = form.querySelector('#edit-requires-cpr');
  if (cprSelect && cprSelect.value !== cpr.initial && cprSelect.value !== '') changes.requires_cpr_aed = cprSelect.value === 'yes';
  return changes;
}

function editForm(detail, app) {
  const { credential } = detail;
  const { fields, notes } = editableFields(credential);
  const cpr = credential.kind === 'cpr_aed' ? null : requiresCprField(credential);
  const form = h('form', { id: 'edit-form', class: 'form', novalidate: true },
    h('div', { class: 'field-grid' }, fields.map((field) => field.build()), cpr ? cpr.build() : null),
    checkboxField({ id: 'edit-member', label: 'I am a member of this body (member renewal fee applies)', checked: credential.member, field: 'member' }),
    // The questions a body raises: NSCA's late-reporting period; for a card, First Aid.
    credential.late_reporting_question
      ? checkboxField({ id: 'edit-late-reporting', label: credential.late_reporting_question, checked: credential.late_reporting, field: 'late-reporting' })
      : null,
    credential.kind === 'cpr_aed'
      ? selectField({
        id: 'edit-first-aid', label: 'Does this card also cover First Aid?', field: 'covers_first_aid',
        value: credential.covers_first_aid === null ? '' : credential.covers_first_aid ? 'yes' : 'no',
        options: [['', 'Not sure'], ['yes', 'Yes, First Aid too'], ['no', 'No, CPR and AED only']],
      })
      : null,
    notes.build(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary', id: 'save-edit' }, 'Save changes')));
  form.addEventListener('input', (event) => clearFieldError(event.target.closest('.field')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const changes = collectChanges(form, [...fields, notes], cpr ?? { initial: '' }, credential);
    if (!Object.keys(changes).length) {
      showError(form, { field: null, message: 'Nothing changed yet.' });
      return;
    }
    const button = form.querySelector('#save-edit');
    button.disabled = true;
    try {
      const saved = await editCredential(credential.id, changes);
      flash(`Saved changes to ${saved.abbreviation}.`);
      app.refresh();
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function rulesSection(detail, app, editing) {
  return section('Rules', 'rules',
    unknownsNote(detail.status, app),
    rulesList(rulesFromCredential(detail.credential), { provenance: false }),
    h('details', { class: 'provenance', id: 'rules-provenance' },
      h('summary', null, 'Where this comes from'),
      provenanceList(rulesFromCredential(detail.credential))),
    h('details', { class: 'edit-details', id: 'edit-details', open: editing ? true : undefined },
      h('summary', { id: 'edit-toggle' }, 'Edit this credential'),
      editForm(detail, app)));
}

// --- removing -------------------------------------------------------------------------------

async function removeFlow(credential, app, statusLine) {
  statusLine.textContent = '';
  const sure = await confirmDialog({
    title: `Remove ${credential.abbreviation}?`,
    message: `Recert stops tracking ${credential.name}. Logged activities stay in your log.`,
    confirmLabel: 'Remove',
    danger: true,
  });
  if (!sure) return;
  try {
    await removeCredential(credential.id, false);
  } catch (error) {
    if (error.code !== 'needs_confirmation') {
      statusLine.textContent = error.message;
      return;
    }
    // The backend asks again when history (past cycles) would go too: show its reason.
    const stillSure = await confirmDialog({ title: 'Remove its history too?', message: error.message, confirmLabel: 'Remove with history', danger: true });
    if (!stillSure) return;
    try {
      await removeCredential(credential.id, true);
    } catch (secondError) {
      statusLine.textContent = secondError.message;
      return;
    }
  }
  flash(`Removed ${credential.abbreviation}.`);
  app.navigate('#/dashboard');
}

function auditSection(detail) {
  const { credential } = detail;
  const result = h('p', { class: 'inline-status', role: 'status', id: 'audit-result' });
  const cycle = h('select', { id: 'audit-cycle', 'aria-label': 'Which cycle' },
    h('option', { value: 'current' }, 'This cycle'),
    detail.past_cycles.length ? h('option', { value: 'previous' }, 'The previous cycle') : null);
  const button = h('button', { type: 'button', class: 'button', id: 'audit-packet' }, 'Download audit packet');
  button.addEventListener('click', async () => {
    result.textContent = '';
    try {
      const packet = await auditPacket(credential.id, cycle.value);
      if (!packet) return;
      const changed = packet.changed_proofs.map((proof) => proof.name);
      result.textContent = changed.length
        ? `Saved ${packet.path}, but ${changed.length === 1 ? 'this proof file differs' : 'these proof files differ'} from the checksum recorded when logged: ${changed.join(', ')}. The packet says so in PROOF-CHECK.txt.`
        : `✓ Saved ${packet.path}: ${packet.activities} activities, ${packet.proofs} proof files, with checksums.`;
    } catch (error) {
      result.textContent = `The audit packet could not be written: ${error.message}`;
    }
  });
  return section('Audit', 'audit',
    h('p', null, 'Everything an audit asks for in one zip: a printable transcript, the same rows as a spreadsheet, your proof files and their checksums.'),
    h('div', { class: 'actions start' }, cycle, button), result);
}

function removeSection(detail, app) {
  const statusLine = h('p', { class: 'inline-status', role: 'alert' });
  return section('Remove', 'remove',
    h('p', null, 'Stop tracking this credential (for example if you let it go on purpose).'),
    h('button', { type: 'button', class: 'button danger', id: 'remove-credential', on: { click: () => removeFlow(detail.credential, app, statusLine) } }, `Remove ${detail.credential.abbreviation}`),
    statusLine);
}

export async function render({ id, edit }, app) {
  const detail = await credentialDetail(id);
  const { status } = detail;
  document.title = `${status.abbreviation} — Recert`;
  // "Enter the date" lands here: once the view is in place, put the cursor in the expiry field.
  if (edit) setTimeout(() => document.getElementById('edit-expires')?.focus(), 0);
  return h('section', { id: 'detail', class: `detail status-${status.status}`, 'data-credential-id': String(status.id) },
    header(status),
    h('div', { class: 'detail-summary' },
      deadlineLine(status),
      confirmExpiryPanel(status, app, { withReason: true }),
      h('p', { class: 'next-action' }, sentenceWithDates(status.next_action)),
      warningsList(status, { withNotes: true })),
    h('div', { class: 'detail-grid' }, progressSection(status, app), moneySection(status, app)),
    creditsSection(detail, app),
    pastCyclesSection(detail, app),
    renewSection(detail, app),
    status.kind === 'cpr_aed' ? null : auditSection(detail),
    rulesSection(detail, app, edit),
    removeSection(detail, app));
}

