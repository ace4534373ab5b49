// Filling in an unknown rule value where it is shown (on a card, the detail page, Costs): the
// "Enter" button beside "unknown — check with NSCA" becomes a one-field form that saves through
// the same edit the detail page uses. Loaded on first use, so the dashboard starts without it.

import { editCredential } from '../api.js';
import { h, selectField, textField, uniqueId } from '../dom.js';
import { clearErrors, flash, showError } from '../feedback.js';
import { renewalCostName } from '../format.js';

/** The edit field, its label and how it is typed; `field` names it in backend errors. */
const FIELDS = {
  renewal_fee: { label: 'Renewal fee (USD)', field: 'fee', inputmode: 'decimal', placeholder: '65.00' },
  late_fee: { label: 'Late fee (USD)', field: 'late-fee', inputmode: 'decimal', placeholder: '30.00' },
  grace: { label: 'Grace period', field: 'grace', placeholder: '90 days, 6 months…' },
  units_required: { label: 'Units required this cycle', field: 'units', inputmode: 'decimal' },
  hours_per_unit: { label: 'Hours of study per unit', field: 'hours-per-unit', inputmode: 'decimal' },
  requires_cpr_aed: { label: 'Needs a current CPR/AED card', field: 'requires_cpr_aed', choice: true },
};

export const canFillIn = (key) => key in FIELDS;

/** Replaces `button` with a small form that saves `key` for credential `credentialId`. */
export function openFillIn(button, { credentialId, key, abbreviation, kind, app, hint = null }) {
  // A hint (the last fee the body published) sits beside the field, never in it: no placeholder
  // that could pass for the value.
  const spec = key === 'renewal_fee'
    ? { ...FIELDS[key], label: `${renewalCostName(kind)} (USD)`, ...(hint ? { placeholder: undefined, hint } : {}) }
    : FIELDS[key];
  const id = uniqueId(`fill-${key}`);
  const input = spec.choice
    ? selectField({ id, label: spec.label, field: spec.field, options: [['yes', 'Yes'], ['no', 'No']], value: 'yes' })
    : textField({ id, label: spec.label, field: spec.field, inputmode: spec.inputmode, placeholder: spec.placeholder, hint: spec.hint });
  const cancel = h('button', { type: 'button', class: 'button small' }, 'Cancel');
  const form = h('form', { class: 'fill-in-form', novalidate: true, 'data-fills': key },
    input, h('div', { class: 'actions' }, cancel, h('button', { type: 'submit', class: 'button small primary fill-in-save' }, 'Save')));
  // Inside a card, keys and clicks stay with the form (the card itself opens the detail page).
  for (const type of ['click', 'keydown']) form.addEventListener(type, (event) => event.stopPropagation());
  cancel.addEventListener('click', () => form.replaceWith(button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const typed = form.querySelector(`#${id}`).value;
    const value = spec.choice ? typed === 'yes' : typed;
    try {
      const saved = await editCredential(credentialId, { [key]: value });
      flash(`Saved for ${saved.abbreviation ?? abbreviation}.`);
      app.refresh();
    } catch (error) {
      showError(form, error);
    }
  });
  button.replaceWith(form);
  form.querySelector(`#${id}`).focus();
}
