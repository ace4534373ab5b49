// The credit preview beside the log form: what each held credential would receive from the course
// being typed (counted, waiting for a body's approval, or not credited, and why), with a tick and
// typed units per credential. A part of the log form, drawn again as the backend answers.

import { h, replaceChildren } from '../dom.js';
import { formatNumber, formatUnits, sentenceWithDates } from '../format.js';

export const FILL_IN_MESSAGE = 'Fill in the title, date and hours to see what each credential would receive.';

const textOrNull = (input) => (input.value.trim() === '' ? null : input.value);

export const NONE_TICKED_MESSAGE =
  'No credential is ticked. Tick the credentials this activity counts toward (with none ticked nothing would be credited).';

/** "+0.8 CEU · category A", or why a credential gets nothing. */
export function outcomeText(outcome) {
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
export class CreditPreview {
  constructor(statuses, onChange) {
    this.statuses = new Map(statuses.map((status) => [status.id, status]));
    this.onChange = onChange;
    this.rows = new Map(); // credential id -> { element, checkbox, override, outcomeLine, touched, initialOverride }
    this.initialOverrides = new Map(); // editing: credential id -> units the user typed when logging
    this.chosen = null; // a planned course done: credential id -> units, the credentials ticked
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

  /**
   * Starts from a choice made elsewhere (a planned course's `credit_to`): only these credentials
   * ticked, with their units typed, as if the user had chosen them. Empty: the usual choice.
   */
  choose(creditTo) {
    this.chosen = creditTo.length ? new Map(creditTo.map((choice) => [choice.credential_id, choice.units ?? ''])) : null;
  }

  /** Forgets every row, e.g. when an activity is opened for editing with its own typed units. */
  reset(initialOverrides = new Map()) {
    for (const row of this.rows.values()) row.element.remove();
    this.rows.clear();
    this.chosen = null;
    this.initialOverrides = initialOverrides;
    this.showMessage(FILL_IN_MESSAGE);
  }

  /** `credit_to` for the form, or null when the user unticked everything. */
  creditTo() {
    // Before the first answer there are no rows: a choice made elsewhere stands for them.
    if (this.chosen && !this.rows.size) {
      return [...this.chosen].map(([id, units]) => ({ credential_id: id, units: units || null }));
    }
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
    override.value = this.chosen?.get(id) ?? initialOverride;
    const row = {
      checkbox, override, outcomeLine, touched: Boolean(this.chosen), initialOverride, isCard,
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
      const isNew = !this.rows.has(outcome.credential_id);
      const row = this.row(outcome);
      if (isNew && this.chosen) row.checkbox.checked = this.chosen.has(outcome.credential_id);
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
