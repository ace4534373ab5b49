// Renewal rules as a readable list, for a catalog preset (before adding) and for a held
// credential (its editable rules). The backend sends both as a RulesView; drawn by one function.

import { h } from '../dom.js';
import { formatMoney, formatNumber, formatUnits, unknownText } from '../format.js';

/** A RulesView (cents, cycle as text), as the backend sends it for presets and held credentials. */
function rulesFromView(rules, { body_short: bodyShort, kind }) {
  return {
    bodyShort,
    cycle: rules.cycle_rule ? rules.cycle_description : null,
    cycleNote: rules.cycle_note,
    unitsRequired: rules.units_required,
    unit: rules.unit,
    hoursPerUnit: rules.hours_per_unit,
    categories: rules.categories ?? [],
    minCategoriesUsed: rules.min_categories_used,
    perEventMax: rules.per_event_max,
    prorated: rules.prorated,
    prorationUnknown: rules.proration_unknown,
    requiresCpr: rules.requires_cpr_aed,
    feeCents: rules.renewal_fee_cents,
    memberFeeCents: rules.renewal_fee_member_cents,
    jointFee: rules.joint_fee,
    lateFees: rules.late_fees?.map(({ through, fee_cents: cents }) => ({ through, cents })) ?? null,
    grace: rules.grace,
    lateCreditWindow: rules.late_credit_window,
    afterGrace: rules.after_grace,
    otherRequirements: rules.other_requirements ?? [],
    sources: rules.sources ?? [],
    asOf: rules.as_of,
    confidence: rules.confidence,
    notes: rules.notes,
    unverified: rules.unverified ?? {},
    lastPublishedFee: rules.last_published_fee,
    dueSoonDays: rules.due_soon_days,
    isCprCard: kind === 'cpr_aed',
  };
}

/**
 * A catalog preset's starting rules. A cycle the research does not give is flagged unknown,
 * although a credential added from it starts with a manual cycle.
 */
export function rulesFromPreset(preset) {
  const rules = rulesFromView(preset.rules, preset);
  return preset.cycle ? rules : { ...rules, cycle: null };
}

/** A held credential's editable rules. */
export const rulesFromCredential = (credential) => rulesFromView(credential.rules, credential);

function unknown(bodyShort) {
  return h('span', { class: 'unknown' },
    h('span', { class: 'unknown-icon', 'aria-hidden': 'true' }, '? '), unknownText(bodyShort));
}

/** A capitalised sentence from the backend's description of the cycle rule. */
const cycleText = (description) => description.charAt(0).toUpperCase() + description.slice(1);

/**
 * Beside a value that rests on a third party or an inference, not on the body itself: says so,
 * with where it comes from.
 */
function unverifiedMark(rules, field) {
  const why = rules.unverified[field];
  if (!why) return null;
  return h('span', { class: 'unverified block', 'data-unverified': field },
    h('span', { class: 'unverified-label' }, 'Not confirmed by the body: '), why);
}

function limitText(min, max, unit) {
  const parts = [];
  if (min !== null && min !== undefined) parts.push(`at least ${formatUnits(min, unit)}`);
  if (max !== null && max !== undefined) parts.push(`at most ${formatUnits(max, unit)}`);
  return parts.length ? parts.join(', ') : 'no limit';
}

function categoriesList(rules) {
  if (!rules.categories.length) return 'None: every activity counts toward one total';
  return h('ul', { class: 'plain-list' }, rules.categories.map((category) =>
    h('li', null, h('strong', null, category.key), ' — ', category.name, ': ',
      limitText(category.min, category.max, rules.unit),
      category.per_event_max === null || category.per_event_max === undefined
        ? '' : `; at most ${formatUnits(category.per_event_max, rules.unit)} from one event`,
      category.default ? ' (default for untagged activities)' : '')));
}

function lateFeesText(rules) {
  if (rules.lateFees === null || rules.lateFees === undefined) return unknown(rules.bodyShort);
  if (!rules.lateFees.length) return 'None';
  return rules.lateFees
    .map((tier) => `${formatMoney(tier.cents)} up to ${tier.through} after the deadline`)
    .join('; then ');
}

function valueOrUnknown(value, bodyShort, show) {
  return value === null || value === undefined ? unknown(bodyShort) : show(value);
}

function row(term, ...description) {
  return [h('dt', null, term), h('dd', null, ...description)];
}

function unitRows(rules) {
  const { bodyShort } = rules;
  const rows = [
    row('Units required', valueOrUnknown(rules.unitsRequired, bodyShort, (units) => formatUnits(units, rules.unit)),
      rules.prorationUnknown
        ? ` (${rules.bodyShort} prorates a first cycle that starts part-way through without saying by how much: ask ${rules.bodyShort})`
        : rules.prorated ? ' (prorated when earned part-way through a cycle)' : '',
      unverifiedMark(rules, 'units_required')),
    row('Hours per unit', valueOrUnknown(rules.hoursPerUnit, bodyShort,
      (hours) => `${formatNumber(hours)} hours of study = 1 ${rules.unit ?? 'unit'}`)),
    row('Categories', categoriesList(rules), unverifiedMark(rules, 'categories')),
  ];
  if (rules.minCategoriesUsed) rows.push(row('Spread', `Units from at least ${formatNumber(rules.minCategoriesUsed)} categories`));
  if (rules.perEventMax !== null && rules.perEventMax !== undefined) {
    rows.push(row('Per event', `At most ${formatUnits(rules.perEventMax, rules.unit)} from one activity`));
  }
  rows.push(row('CPR/AED card required', valueOrUnknown(rules.requiresCpr, bodyShort,
    (required) => (required ? 'Yes — keep a current CPR/AED card' : 'No')), unverifiedMark(rules, 'requires_cpr_aed')));
  if (rules.lateCreditWindow) {
    rows.push(row('Courses after the deadline', `Count toward the expired cycle when completed up to ${rules.lateCreditWindow} after it`));
  }
  return rows;
}

function moneyRows(rules) {
  const { bodyShort } = rules;
  const lastPublished = (rules.feeCents === null || rules.feeCents === undefined) && rules.lastPublishedFee
    ? h('span', { class: 'hint block last-published-fee' }, `Last published: ${rules.lastPublishedFee}. Not this cycle’s fee.`)
    : null;
  const rows = [row('Renewal fee', valueOrUnknown(rules.feeCents, bodyShort, formatMoney), lastPublished, unverifiedMark(rules, 'renewal_fee'))];
  if (rules.jointFee) {
    rows.push(row('Several credentials', `${formatMoney(rules.jointFee.fee_cents)} in all for ${formatNumber(rules.jointFee.min_credentials)} or more ${rules.jointFee.group} credentials renewed together`));
  }
  if (rules.memberFeeCents !== null && rules.memberFeeCents !== undefined) {
    rows.push(row('Member renewal fee', formatMoney(rules.memberFeeCents)));
  }
  rows.push(
    row('Late fees', lateFeesText(rules), unverifiedMark(rules, 'late_fees')),
    row('Grace period', valueOrUnknown(rules.grace, bodyShort,
      (grace) => (/^0 /.test(grace) ? 'None' : `${grace} after the deadline`)), unverifiedMark(rules, 'grace')),
  );
  if (rules.afterGrace) rows.push(row('After the grace period', rules.afterGrace));
  return rows;
}

function provenanceRows(rules) {
  const rows = [];
  if (rules.otherRequirements.length) {
    rows.push(row('Other requirements', h('ul', { class: 'plain-list' }, rules.otherRequirements.map((text) => h('li', null, text)))));
  }
  if (rules.notes) rows.push(row('Notes', rules.notes));
  rows.push(
    row('Confidence', rules.confidence ?? 'not stated'),
    row('As of', rules.asOf ?? 'not stated'),
    // Plain text on purpose: the window loads nothing remote and opens no links.
    row('Sources', rules.sources.length
      ? h('ul', { class: 'plain-list sources' }, rules.sources.map((source) => h('li', null, h('span', { class: 'source' }, source))))
      : 'none recorded'),
  );
  return rows;
}

/** The whole rule set as a definition list. */
/** Notes, confidence and sources: what a trainer opens to see where the rules come from. */
export function provenanceList(rules) {
  return h('dl', { class: 'rules provenance-list' }, provenanceRows(rules));
}

export function rulesList(rules, { provenance = true } = {}) {
  const cycleRows = [row('Cycle', valueOrUnknown(rules.cycle, rules.bodyShort, cycleText),
    rules.cycleNote ? h('span', { class: 'hint block' }, rules.cycleNote) : null, unverifiedMark(rules, 'cycle'))];
  if (rules.dueSoonDays) cycleRows.push(row('“Due soon” from', `${formatNumber(rules.dueSoonDays)} days before the deadline`));
  const unitPart = rules.isCprCard ? [row('Units', 'A CPR/AED card collects no continuing-education units')] : unitRows(rules);
  return h('dl', { class: 'rules' }, cycleRows, unitPart, moneyRows(rules), provenance ? provenanceRows(rules) : null);
}
