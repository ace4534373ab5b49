// The pieces of a credential's status that the dashboard's cards and a credential's own page both
// show: its deadline, progress, money, the question about an unconfirmed deadline and the
// warnings. A part, not a page: pages import it, it imports no page.

import { confirmExpiry } from '../api.js';
import { h, uniqueId } from '../dom.js';
import { flash } from '../feedback.js';
import {
  dateElement, daysLeftText, formatNumber, formatUnits, moneyOrUnknown, renewalCostName, sentenceWithDates,
} from '../format.js';

/** The deadline line: "Renew by 31 Dec 2026 · 38 days left", or how far past it we are. */
export function deadlineLine(status, id) {
  const isCard = status.kind === 'cpr_aed';
  const lead = status.days_left < 0 ? (isCard ? 'Expired ' : 'Deadline was ') : (isCard ? 'Valid through ' : 'Renew by ');
  const parts = [lead, dateElement(status.cycle_end, 'deadline-date'), ' · ',
    h('span', { class: 'days-left' }, daysLeftText(status.days_left))];
  if (status.status === 'grace' && status.grace_ends) {
    parts.push(' · grace period until ', dateElement(status.grace_ends, 'grace-date'));
  }
  return h('p', { class: 'deadline', 'data-date': status.cycle_end, id }, parts);
}

/**
 * An "Enter" button beside an unknown value: it opens a one-field form to fill the value in right
 * there (fill-in.js, loaded on first use so start-up does not pay for it).
 */
export function fillInButton(status, key, app) {
  const button = h('button', {
    type: 'button', class: 'button small fill-in', 'data-fills': key, 'aria-label': `Enter the ${key === 'renewal_fee' ? renewalCostName(status.kind).toLowerCase() : key.replaceAll('_', ' ')}`,
    on: {
      keydown: (event) => event.stopPropagation(),
      click: async (event) => {
        event.stopPropagation();
        const { openFillIn } = await import('./fill-in.js');
        openFillIn(button, {
          credentialId: status.id, key, abbreviation: status.abbreviation, kind: status.kind, app,
          hint: key === 'renewal_fee' && status.last_published_fee ? `Last published: ${status.last_published_fee}. Not this cycle’s fee: check with ${status.body_short}.` : null,
        });
      },
    },
  }, 'Enter');
  return button;
}

/** Earned / required as a bar with the words beside it; no bar when the requirement is unknown. */
export function progressBlock(status, app) {
  if (status.kind === 'cpr_aed') return null;
  const { units_earned: earned, units_required: required, unit } = status;
  if (required === null || required === undefined) {
    const unknownText = status.prorated ? `prorated — ask ${status.body_short}` : `unknown — check with ${status.body_short}`;
    return h('p', { class: 'progress-text' },
      `${formatUnits(earned, unit)} logged · requirement `,
      h('span', { class: 'unknown' }, unknownText), ' ', app ? fillInButton(status, 'units_required', app) : null);
  }
  const textId = uniqueId('progress-text');
  // Met only when nothing is short, category minimums included: 2.1 CEU of courses without the
  // CPR/AED card NASM counts is not a full bar.
  const short = status.shortfall ?? 0;
  const met = short <= 0 && earned >= required;
  const toward = Math.min(status.units_toward ?? earned, required);
  // <progress> needs a positive max; a requirement of 0 (prorated away) counts as done.
  const bar = h('progress', {
    class: `progress${met ? ' progress-met' : ''}`,
    max: String(Math.max(required, 0.01)),
    value: String(required > 0 ? toward : 0.01),
    'aria-labelledby': textId,
    'data-earned': String(earned),
    'data-required': String(required),
  });
  let label = required > 0
    ? `${formatUnits(earned, unit)} of ${formatUnits(required, unit)}`
    : `No ${unit ?? 'units'} required this cycle`;
  // Courses waiting for the body's approval are shown beside the bar, never in it.
  const pending = status.units_pending > 0
    ? h('span', { class: 'hint units-pending' }, ` · ${formatUnits(status.units_pending, unit)} pending ${status.body_short}'s approval`)
    : null;
  if (required > 0 && short > 0 && earned >= required) {
    label = `${formatUnits(toward, unit)} of ${formatUnits(required, unit)} counted (${formatNumber(earned)} logged)`;
  }
  return h('div', { class: 'progress-row' }, bar,
    h('span', { class: 'progress-text', id: textId }, label, status.prorated ? ' (prorated)' : '', pending));
}

/** Renewal fee, plus the late fee once in grace. */
export function moneyLine(status, app) {
  const feeUnknown = status.renewal_fee_cents == null;
  const parts = [
    h('span', null, `${renewalCostName(status.kind)}: `,
      h('span', { class: feeUnknown ? 'unknown' : 'amount' },
        moneyOrUnknown(status.renewal_fee_cents, status.body_short)),
      feeUnknown && app ? [' ', fillInButton(status, 'renewal_fee', app)] : null,
      feeUnknown && status.last_published_fee
        ? h('span', { class: 'hint last-published-fee' }, ` (last published: ${status.last_published_fee})`) : null),
  ];
  if (status.fee_note) parts.push(h('span', { class: 'hint fee-note' }, ` (${status.fee_note})`));
  if (status.status === 'grace') {
    parts.push(h('span', null, ' · Late fee: ',
      h('span', { class: status.late_fee_cents == null ? 'unknown' : 'amount' },
        moneyOrUnknown(status.late_fee_cents, status.body_short))));
  }
  return h('p', { class: 'money' }, parts);
}

/**
 * While the deadline is one Recert worked out (assumed renewals, or a rule the body has not
 * confirmed), asks the user to check it, with the two ways to settle it.
 */
const stopHere = (event) => event.stopPropagation();

export function confirmExpiryPanel(status, app, { withReason = false } = {}) {
  if (status.expiry_confirmed) return null;
  const statusLine = h('p', { class: 'inline-status', role: 'alert' });
  const confirm = async (event) => {
    event.stopPropagation();
    statusLine.textContent = '';
    try {
      await confirmExpiry(status.id);
      flash(`Deadline of ${status.abbreviation} confirmed: `, dateElement(status.cycle_end), '.');
      app.refresh();
    } catch (error) {
      statusLine.textContent = error.message;
    }
  };
  const change = (event) => {
    event.stopPropagation();
    app.navigate(`#/credential/${status.id}/edit`);
  };
  return h('div', { class: 'confirm-expiry', 'data-credential-id': String(status.id) },
    h('p', null, h('span', { class: 'warning-icon', 'aria-hidden': 'true' }, '? '), sentenceWithDates(status.confirm_expiry),
      withReason ? h('span', { class: 'hint block' }, sentenceWithDates(status.confirm_expiry_reason)) : null),
    h('div', { class: 'actions' },
      // Inside a card the buttons keep Enter and clicks to themselves (the card opens the detail).
      h('button', { type: 'button', class: 'button small primary confirm-expiry-button', on: { click: confirm, keydown: stopHere } },
        status.confirm_expiry_question ? 'Yes, I renewed' : 'The date is right'),
      h('button', { type: 'button', class: 'button small change-expiry-button', on: { click: change, keydown: stopHere } },
        status.confirm_expiry_question ? 'No: enter my expiry' : 'Enter the date')),
    statusLine);
}

/**
 * What to act on, with a warning sign; and, with `withNotes`, the quiet facts beside them: a
 * minimum met beyond its maximum, a card lapsing before a deadline still far away.
 */
export function warningsList(status, { withNotes = false, requirementProblems = true } = {}) {
  const problems = [
    ...status.prerequisite_problems.map((text) => ({ text, className: 'prereq-warning', icon: '⚠ ' })),
    ...(requirementProblems ? status.requirement_problems : []).map((text) => ({ text, className: 'requirement-note', icon: '⚠ ' })),
    ...(status.rules_outdated ? [{ text: status.rules_outdated, className: 'quiet-note rules-outdated', icon: 'ℹ ' }] : []),
  ];
  if (withNotes) {
    problems.push(
      ...(status.prerequisite_notes ?? []).map((text) => ({ text, className: 'quiet-note', icon: 'ℹ ' })),
      ...(status.requirement_hints ?? []).map((text) => ({ text, className: 'quiet-note requirement-hint', icon: 'ℹ ' })),
      ...(status.requirement_notes ?? []).map((text) => ({ text, className: 'quiet-note met-note', icon: '✓ ' })),
    );
  }
  if (!problems.length) return null;
  return h('ul', { class: 'warnings' }, problems.map(({ text, className, icon }) =>
    h('li', { class: className },
      h('span', { class: 'warning-icon', 'aria-hidden': 'true' }, icon), sentenceWithDates(text))));
}
