// The money ahead: renewal fees over the next 24 months by month, what courses cost this cycle,
// and the late fees at stake for credentials close to (or past) their deadline.

import { getStatus, upcomingCosts } from '../api.js';
import { h } from '../dom.js';
import { fillInButton } from './credential-parts.js';
import { dateElement, formatMoney, formatMonth, formatNumber, moneyOrUnknown, parseIsoDate, statusBadge } from '../format.js';

const MONTHS_AHEAD = 24;

function groupByMonth(costs) {
  const groups = new Map();
  for (const cost of [...costs].sort((a, b) => a.due_on.localeCompare(b.due_on))) {
    const month = cost.due_on.slice(0, 7);
    if (!groups.has(month)) groups.set(month, []);
    groups.get(month).push(cost);
  }
  return groups;
}

/** The totals come from Recert's core, which adds up the known fees and counts the unknown ones. */
function totalsLine({ known_total_cents: total, unknown_count: unknownCount }) {
  // A total never hides what it leaves out: "$79.00 + 3 fees unknown".
  return h('p', { class: 'totals', id: 'costs-total' },
    h('strong', null, `Total: ${formatMoney(total)}`),
    unknownCount ? ` + ${formatNumber(unknownCount)} ${unknownCount === 1 ? 'fee' : 'fees'} unknown` : '');
}

function upcomingSection(upcoming, bodies, app) {
  const costs = upcoming.items;
  const intro = h('p', { class: 'subtitle' }, `Renewal fees due over the next ${MONTHS_AHEAD} months, cycle by cycle.`);
  if (!costs.length) {
    return h('section', { class: 'panel', id: 'upcoming-costs' }, h('h2', null, 'Renewals ahead'), intro,
      h('p', { class: 'hint' }, 'Nothing falls due in this period.'));
  }
  const months = [...groupByMonth(costs)].map(([month, items]) => {
    const monthDate = parseIsoDate(`${month}-01`);
    return h('li', { class: 'cost-month', 'data-month': month },
      h('h3', null, formatMonth(monthDate)),
      h('ul', { class: 'cost-items' }, items.map((cost) => h('li', { class: 'cost-item', 'data-credential-id': String(cost.credential_id) },
        h('span', { class: 'cost-what' }, h('strong', null, cost.abbreviation), ` — ${cost.what}, due `, dateElement(cost.due_on)),
        h('span', { class: cost.amount === null ? 'cost-amount unknown' : 'cost-amount' },
          moneyOrUnknown(cost.amount, bodies.get(cost.credential_id)?.body_short ?? 'the certifying body')),
        cost.amount === null && bodies.has(cost.credential_id)
          ? [' ', fillInButton(bodies.get(cost.credential_id), 'renewal_fee', app)] : null))));
  });
  return h('section', { class: 'panel', id: 'upcoming-costs' }, h('h2', null, 'Renewals ahead'), intro,
    totalsLine(upcoming), h('ol', { class: 'cost-months' }, months));
}

function courseSpendingSection(statuses) {
  const rows = statuses.map((status) => h('tr', null,
    h('th', { scope: 'row' }, status.abbreviation, h('span', { class: 'hint' }, ` · ${status.body_short}`)),
    h('td', null, dateElement(status.cycle_start), ' – ', dateElement(status.cycle_end)),
    h('td', null, formatNumber(status.activity_count)),
    h('td', { class: 'number' }, formatMoney(status.course_costs_cents))));
  return h('section', { class: 'panel', id: 'course-spending' },
    h('h2', null, 'Courses this cycle'),
    h('p', { class: 'hint' }, 'A course that counts toward several credentials appears under each of them.'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Courses this cycle' },
      h('table', null,
        h('thead', null, h('tr', null, ['Credential', 'Cycle', 'Activities', 'Spent'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', null, rows))));
}

function lateFeesSection(statuses) {
  // A CPR/AED card has no late fee, and a body that charges none puts nothing at risk.
  const atRisk = statuses.filter((status) => status.kind !== 'cpr_aed' && status.late_fee_cents !== 0
    && (status.status === 'due_soon' || status.status === 'grace'));
  return h('section', { class: 'panel', id: 'late-fees' },
    h('h2', null, 'Late fees at risk'),
    atRisk.length
      ? h('ul', { class: 'plain-list' }, atRisk.map((status) => h('li', { 'data-credential-id': String(status.id) },
        statusBadge(status.status, status.status_label), ' ',
        h('strong', null, status.abbreviation), ' — deadline ', dateElement(status.cycle_end), ': late fee ',
        h('span', { class: status.late_fee_cents === null ? 'unknown' : 'amount' }, moneyOrUnknown(status.late_fee_cents, status.body_short)))))
      : h('p', { class: 'hint' }, 'None: no credential is due soon or in its grace period.'));
}

export async function render(_params, app) {
  const [costs, statuses, planned] = await Promise.all([upcomingCosts(MONTHS_AHEAD), getStatus(),
    import('./plan.js').then((plan) => plan.plannedSpendingSection()).catch(() => null)]);
  const bodies = new Map(statuses.map((status) => [status.id, status]));
  return h('section', { id: 'costs' },
    h('header', { class: 'view-header' }, h('div', null, h('h1', null, 'Costs'),
      h('p', { class: 'subtitle' }, 'What your credentials will cost, so no renewal is a surprise.'))),
    upcomingSection(costs, bodies, app),
    planned,
    statuses.length ? lateFeesSection(statuses) : null,
    statuses.length ? courseSpendingSection(statuses) : null);
}
