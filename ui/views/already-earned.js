// "Units already earned this cycle": the opening balance a user reads off their body's portal,
// one input per category where the body counts categories. Used by the first run and the Add
// screen; the core parses what is typed (`UNITS[:CATEGORY]`).

import { h, textField } from '../dom.js';

/**
 * The inputs for `preset` (null: a credential of the user's own), ids starting with `idPrefix`,
 * errors shown for the form field `field`. None for a CPR/AED card.
 */
export function alreadyEarnedFields({ idPrefix, field, preset }) {
  if (preset?.kind === 'cpr_aed') return null;
  const unit = preset?.rules.unit ?? 'Units';
  const categories = preset?.rules.categories ?? [];
  const hint = `From your ${preset?.body_short ?? 'body’s'} account, if you have earned any in this cycle. Empty means none yet.`;
  if (!categories.length) {
    return textField({ id: `${idPrefix}-units`, label: `${unit} already earned this cycle`, inputmode: 'decimal', field, hint });
  }
  // Units in general, beside the categories, where no category takes ordinary courses (ACE counts
  // college, prep and CPR courses apart; everything else is ordinary CECs).
  const general = hasGeneral(preset)
    ? [textField({ id: `${idPrefix}-general`, label: `Ordinary courses (no category)`, inputmode: 'decimal', field: `${field}-general` })]
    : [];
  return h('fieldset', { class: 'already-earned field', 'data-field': field },
    h('legend', null, `${unit} already earned this cycle`),
    h('p', { class: 'hint' }, hint),
    h('div', { class: 'field-grid' }, [...general, ...categories.map((category) => textField({
      id: `${idPrefix}-${category.key}`,
      label: category.name,
      inputmode: 'decimal',
      field: `${field}-${category.key}`,
    }))]));
}

/** Whether ordinary courses fall in no category: none of the preset's categories is the default. */
function hasGeneral(preset) {
  const categories = preset?.rules.categories ?? [];
  return categories.length > 0 && !categories.some((category) => category.default);
}

/** What was typed, as the core's `already_earned` list. */
export function alreadyEarnedValues(root, { idPrefix, preset }) {
  if (preset?.kind === 'cpr_aed') return [];
  const typed = (id) => root.querySelector(`#${id}`)?.value.trim() ?? '';
  const categories = preset?.rules.categories ?? [];
  if (!categories.length) return typed(`${idPrefix}-units`) ? [typed(`${idPrefix}-units`)] : [];
  const general = hasGeneral(preset) && typed(`${idPrefix}-general`) ? [typed(`${idPrefix}-general`)] : [];
  return [...general, ...categories
    .map((category) => [typed(`${idPrefix}-${category.key}`), category.key])
    .filter(([units]) => units)
    .map(([units, key]) => `${units}:${key}`)];
}
