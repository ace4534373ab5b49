// Renewal rules as a readable list, for a catalog preset (before adding) and for a held
// credential (its editable rules). The backend sends both as a RulesView; drawn by one function.

import { h } from '../dom.js';
import { formatDate, formatMoney, formatNumber, formatUnits, unknownText } from '../format.js';

function cycleFromRulesView(text, years) {
  if (!text) return null;
  if (text.startsWith('fixed:')) return { kind: 'fixed', years, endsOn: text.slice('fixed:'.length) };
  return { kind: text, years, endsOn: null };
}

/** A RulesView (cents, cycle as text), as the backend sends it for presets and held credentials. */
function rulesFromView(rules, { body_short: bodyShort, kind }) {
  return {
    bodyShort,
    cycle: cycleFromRulesView(rules.cycle_rule, rules.cycle_years),
    cycleNote: rules.cycle_note,
    unitsRequired: rules.units_required,
    unit: rules.unit,
    hoursPerUnit: rules.hours_per_unit,
    categories: rules.categories ?? [],
    minCategoriesUsed: rules.min_categories_used,
    perEventMax: rules.per_event_max,
    prorated: rules.prorated,
    requiresCpr: rules.requires_cpr_aed,
    feeCents: rules.renewal_fee_cents,
    memberFeeCents: rules.renewal_fee_member_cents,
    lateFees: rules.late_fees?.map(([throughDay, cents]) => ({ throughDay, cents })) ?? null,
    graceDays: rules.grace_days,
    afterGrace: rules.after_grace,
    otherRequirements: rules.other_requirements ?? [],
    sources: rules.sources ?? [],
    asOf: rules.as_of,
    confidence: rules.confidence,
    notes: rules.notes,
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

const everyYears = (years) => (years === 1 ? 'Every year' : `Every ${formatNumber(years)} years`);

function cycleText(cycle) {
  switch (cycle.kind) {
    case 'anniversary': return `${everyYears(cycle.years)}, on the anniversary of the date earned`;
    case 'month-end': return `${everyYears(cycle.years)}, ending on the last day of the anniversary month`;
    case 'year-end': return `${everyYears(cycle.years)}, ending on 31 December of the final year`;
    case 'fixed': return `${everyYears(cycle.years)} for everyone; a cycle ends ${formatDate(cycle.endsOn)}`;
    case 'manual': return 'No fixed rule: you enter each expiry date yourself';
    default: return cycle.kind;
  }
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
      category.default ? ' (default for untagged activities)' : '')));
}

function lateFeesText(rules) {
  if (rules.lateFees === null || rules.lateFees === undefined) return unknown(rules.bodyShort);
  if (!rules.lateFees.length) return 'None';
  return rules.lateFees
    .map((tier) => `${formatMoney(tier.cents)} up to ${formatNumber(tier.throughDay)} days late`)
    .join('; ');
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
      rules.prorated ? ' (prorated when earned part-way through a cycle)' : ''),
    row('Hours per unit', valueOrUnknown(rules.hoursPerUnit, bodyShort,
      (hours) => `${formatNumber(hours)} hours of study = 1 ${rules.unit ?? 'unit'}`)),
    row('Categories', categoriesList(rules)),
  ];
  if (rules.minCategoriesUsed) rows.push(row('Spread', `Units from at least ${formatNumber(rules.minCategoriesUsed)} categories`));
  if (rules.perEventMax !== null && rules.perEventMax !== undefined) {
    rows.push(row('Per event', `At most ${formatUnits(rules.perEventMax, rules.unit)} from one activity`));
  }
  rows.push(row('CPR/AED card required', valueOrUnknown(rules.requiresCpr, bodyShort,
    (required) => (required ? 'Yes — keep a current CPR/AED card' : 'No'))));
  return rows;
}

function moneyRows(rules) {
  const { bodyShort } = rules;
  const rows = [row('Renewal fee', valueOrUnknown(rules.feeCents, bodyShort, formatMoney))];
  if (rules.memberFeeCents !== null && rules.memberFeeCents !== undefined) {
    rows.push(row('Member renewal fee', formatMoney(rules.memberFeeCents)));
  }
  rows.push(
    row('Late fees', lateFeesText(rules)),
    row('Grace period', valueOrUnknown(rules.graceDays, bodyShort,
      (days) => (days === 0 ? 'None' : `${formatNumber(days)} days after the deadline`))),
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
export function rulesList(rules) {
  const cycleRows = [row('Cycle', valueOrUnknown(rules.cycle, rules.bodyShort, cycleText),
    rules.cycleNote ? h('span', { class: 'hint block' }, rules.cycleNote) : null)];
  if (rules.dueSoonDays) cycleRows.push(row('“Due soon” from', `${formatNumber(rules.dueSoonDays)} days before the deadline`));
  const unitPart = rules.isCprCard ? [row('Units', 'A CPR/AED card collects no continuing-education units')] : unitRows(rules);
  return h('dl', { class: 'rules' }, cycleRows, unitPart, moneyRows(rules), provenanceRows(rules));
}
