// Plan ahead: the courses the user is considering, the plan that keeps every credential current
// for the least money (or the fewest hours) within a budget and a pace, the projected status, and
// "Mark as done", which opens the Log screen filled in from the planned course for the proof.
// Every figure and sentence comes from Recert's core; user text goes in through textContent (h).

import { addPlanned, getPlan, listPlanned, removePlanned } from '../api.js';
import { dateField } from '../date-picker.js';
import { checkboxField, h, replaceChildren, selectField, textField } from '../dom.js';
import { clearErrors, clearFieldError, flash, showError } from '../feedback.js';
import { dateElement, formatMoney, formatNumber, parseIsoDate, formatMonth } from '../format.js';

const list = (text) => text.split(',').map((part) => part.trim()).filter(Boolean);

/** Wires a form: errors clear as the user corrects a field; Save runs `save(value)` (value: an
 *  input's text by id) and shows the backend's refusal beside its fields, keeping what was typed. */
function onSave(form, save) {
  form.addEventListener('input', (event) => clearFieldError(event.target.closest('.field')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await save((id) => form.querySelector(`#${id}`).value);
    } catch (error) {
      showError(form, error);
    }
  });
}

function addForm(app) {
  const form = h('form', { id: 'plan-add-form', class: 'form panel', novalidate: true },
    h('h2', null, 'Add a course you are considering'),
    textField({ id: 'plan-title', label: 'Title', field: 'title', required: true }),
    textField({ id: 'plan-provider', label: 'Provider', field: 'provider' }),
    dateField({ id: 'plan-date', label: 'Date', field: 'date', required: true, hint: 'The day you plan to take it, or the last day with “any time before”.' }),
    checkboxField({ id: 'plan-before', label: 'Any time before this date (self-paced)', field: 'any_time_before' }),
    textField({ id: 'plan-hours', label: 'Hours', field: 'hours', required: true, inputmode: 'decimal', hint: '8, 1.5, 1h30 or 90 min' }),
    textField({ id: 'plan-cost', label: 'Cost', field: 'cost', inputmode: 'decimal', placeholder: '0.00' }),
    textField({ id: 'plan-categories', label: 'Categories', field: 'category', hint: 'Separated by commas, e.g. A, C (optional)' }),
    textField({ id: 'plan-approved', label: 'Approved by', field: 'approved-by', hint: 'Bodies that approve it, separated by commas: NASM, ACE:CEP123, or NASM=1.9 for the units a body grants. Empty: it counts wherever a logged course would.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary', id: 'plan-add' }, 'Add to the list')));
  onSave(form, async (value) => {
    await addPlanned({
      title: value('plan-title'),
      provider: value('plan-provider') || null,
      date: value('plan-date'),
      any_time_before: form.querySelector('#plan-before').checked,
      hours: value('plan-hours'),
      cost: value('plan-cost') || null,
      categories: list(value('plan-categories')),
      approved_by: list(value('plan-approved')),
    });
    flash(`Added “${value('plan-title')}” to the courses you are considering.`);
    app.refresh();
  });
  return form;
}

function plannedList(courses, app) {
  if (!courses.length) {
    return h('section', { class: 'panel', id: 'planned-courses' }, h('h2', null, 'Courses you are considering'),
      h('p', { class: 'hint' }, 'None yet. Add the courses you might take — a workshop, an online course, a specialization — and Recert picks the cheapest set that keeps every credential current.'));
  }
  const rows = courses.map((course) => h('tr', { 'data-planned-id': String(course.id) },
    h('th', { scope: 'row' }, course.title, course.provider ? h('span', { class: 'hint' }, ` · ${course.provider}`) : null),
    h('td', null, course.any_time_before ? ['before ', dateElement(course.planned_on)] : dateElement(course.planned_on)),
    h('td', { class: 'number' }, `${formatNumber(course.hours)} h`),
    h('td', { class: 'number' }, formatMoney(course.cost_cents)),
    h('td', null, [...course.categories, ...course.approved_by.map((a) => `approved by ${a}`)].join(' · ')),
    h('td', null,
      h('button', {
        type: 'button', class: 'button small', 'data-action': 'done', 'aria-label': `Mark “${course.title}” as done`,
        // The log form, filled in from the course: saving logs it and takes it off the plan.
        on: { click: () => app.navigate(`#/log/planned/${course.id}`) },
      }, 'Mark as done'),
      ' ',
      h('button', {
        type: 'button', class: 'button small', 'data-action': 'remove', 'aria-label': `Remove “${course.title}” from the list`,
        on: { click: async () => { await removePlanned(course.id); app.refresh(); } },
      }, 'Remove'))));
  return h('section', { class: 'panel', id: 'planned-courses' }, h('h2', null, 'Courses you are considering'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Courses you are considering' },
      h('table', null,
        h('thead', null, h('tr', null, ['Course', 'When', 'Hours', 'Cost', 'Counts for'].map((t) => h('th', { scope: 'col' }, t)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', null, rows))));
}

function planResult(plan) {
  const chosen = plan.chosen.length
    ? h('ol', { id: 'plan-chosen', class: 'plan-chosen' }, plan.chosen.map((c) => h('li', { 'data-planned-id': String(c.id) },
      h('strong', null, c.title), ' — ', c.any_time_before ? ['before ', dateElement(c.planned_on)] : dateElement(c.planned_on),
      `, ${formatNumber(c.hours)} h, ${formatMoney(c.cost_cents)}`)))
    : h('p', { id: 'plan-chosen', class: 'hint' }, 'No planned course needs to be taken.');
  const credentials = h('ul', { id: 'plan-projected', class: 'plan-projected' }, plan.credentials.map((c) => h('li', {
    'data-credential-id': String(c.credential_id), class: c.covered ? 'covered' : 'short',
  },
  h('span', { class: 'status-icon', 'aria-hidden': 'true' }, c.covered ? '✓ ' : '⚠ '),
  h('span', { class: 'plan-sentence' }, c.sentence),
  c.contributions.length ? h('ul', { class: 'hint' }, c.contributions.map((k) => h('li', null,
    `${k.title}: +${formatNumber(k.units)} ${c.unit ?? 'units'}${k.category ? ` in ${k.category}` : ''}`))) : null,
  !c.covered && c.problems.length ? h('ul', { class: 'hint' }, c.problems.map((p) => h('li', null, `Still missing: ${p}`))) : null)));
  const months = plan.spending_by_month.length
    ? h('p', { id: 'plan-spending' }, 'Planned spending: ', plan.spending_by_month.map((m, i) => [i ? ', ' : '',
      `${formatMonth(parseIsoDate(`${m.month}-01`))} ${formatMoney(m.cents)}`]))
    : null;
  return [
    h('p', { id: 'plan-total' }, h('strong', null, `${plan.chosen.length} ${plan.chosen.length === 1 ? 'course' : 'courses'}, ${formatMoney(plan.total_cost_cents)}, ${formatNumber(plan.total_hours)} h`)),
    chosen,
    h('h3', null, 'With your plan'),
    credentials,
    months,
    plan.notes.length ? h('ul', { id: 'plan-notes', class: 'notice' }, plan.notes.map((n) => h('li', null, n))) : null,
  ];
}

function planSection() {
  const result = h('div', { id: 'plan-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'plan-form', class: 'form plan-options', novalidate: true },
    selectField({ id: 'plan-objective', label: 'Keep lowest', options: [['cost', 'Cost'], ['hours', 'Hours']], value: 'cost', field: 'objective' }),
    textField({ id: 'plan-budget', label: 'Budget (at most)', field: 'budget', inputmode: 'decimal', placeholder: 'no limit' }),
    textField({ id: 'plan-pace', label: 'Hours a week (at most)', field: 'hours-per-week', inputmode: 'decimal', placeholder: 'no limit' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary', id: 'plan-run' }, 'Plan')));
  let asked = 0;
  const run = async () => {
    clearErrors(form);
    asked += 1;
    const thisAsk = asked;
    try {
      const request = {
        objective: form.querySelector('#plan-objective').value,
        budget: form.querySelector('#plan-budget').value,
        hours_per_week: form.querySelector('#plan-pace').value,
      };
      replaceChildren(result, h('p', { class: 'hint', id: 'plan-busy' }, 'Planning…'));
      const plan = await getPlan(request);
      if (thisAsk === asked) replaceChildren(result, ...planResult(plan));
    } catch (error) {
      replaceChildren(result);
      showError(form, error);
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
  form.addEventListener('change', () => run());
  run();
  return h('section', { class: 'panel', id: 'plan-section' }, h('h2', null, 'The plan'),
    h('p', { class: 'hint' }, 'The cheapest set of your planned courses that completes every credential before its deadline, counting each course toward every credential it serves, by the same rules as logging.'),
    form, result);
}

export async function render(_params, app) {
  const courses = await listPlanned();
  return h('section', { id: 'plan-view' },
    h('header', { class: 'view-header' },
      h('div', null, h('h1', null, 'Plan ahead'),
        h('p', { class: 'subtitle' }, 'Which courses to take, by when, to stay certified for the least money. Planned courses are not earned credits until you log them.'))),
    planSection(),
    plannedList(courses, app),
    addForm(app));
}

/** For the Costs screen: what the plan would spend, by month, marked as planned (not yet spent). */
export async function plannedSpendingSection() {
  const plan = await getPlan({ objective: 'cost' });
  if (!plan.chosen.length) return null;
  const byMonth = new Map();
  for (const course of plan.chosen) {
    const month = course.planned_on.slice(0, 7);
    if (!byMonth.has(month)) byMonth.set(month, []);
    byMonth.get(month).push(course);
  }
  return h('section', { class: 'panel', id: 'planned-spending' },
    h('h2', null, 'Planned spending'),
    h('p', { class: 'hint' }, 'The courses your plan picks, by month: planned, not spent. ', h('a', { href: '#/plan' }, 'Open the plan')),
    h('ol', { class: 'cost-months' }, [...byMonth].map(([month, courses]) => h('li', { class: 'cost-month', 'data-month': month },
      h('h3', null, formatMonth(parseIsoDate(`${month}-01`))),
      h('ul', { class: 'cost-items' }, courses.map((course) => h('li', { class: 'cost-item planned', 'data-planned-id': String(course.id) },
        h('span', { class: 'cost-what' }, h('strong', null, 'Planned: '), course.title, course.any_time_before ? ' — before ' : ' — ', dateElement(course.planned_on)),
        h('span', { class: 'cost-amount' }, formatMoney(course.cost_cents)))))))),
    h('p', { class: 'totals' }, h('strong', null, `Planned total: ${formatMoney(plan.total_cost_cents)}`)));
}
