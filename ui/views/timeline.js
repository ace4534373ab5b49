// Every credential on one time axis, from a year ago to three years ahead: cycles as bars, the
// deadline as a marker, the grace window hatched, fees as money markers, today as a line, and
// the planned courses (not earned) as dashed circles on the rows they would count toward, listed
// in words below. Readable in a screenshot; details on hover and on keyboard focus.

import { appInfo, getStatus, plannedOnTimeline } from '../api.js';
import { h, svg, replaceChildren } from '../dom.js';
import {
  STATUS_ICONS, daysLeftText, formatDate, formatMoney, formatShortMonth, formatUnits, parseIsoDate, statusWord, toIsoDate, unknownText,
} from '../format.js';

const DEFAULT_HINT = 'Point at or Tab to a bar or marker for its details; press Enter on a bar to open the credential.';

function addYears(date, years) {
  return new Date(date.getFullYear() + years, date.getMonth(), date.getDate());
}

/** Pixel geometry from the container width and the root font size, so text keeps its size at any zoom. */
function layout(width, rowCount) {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const left = rem;
  const right = rem;
  // The "Today" label has a band of its own above the year and month labels, so the two never
  // overlap whatever today's date.
  const todayBand = 1.6 * rem;
  const axis = todayBand + 2.75 * rem;
  const row = 4.75 * rem;
  return { rem, width, left, right, todayBand, axis, row, height: axis + rowCount * row + rem };
}

function scaleFor(geometry, start, end) {
  const span = end - start;
  const usable = geometry.width - geometry.left - geometry.right;
  const x = (date) => geometry.left + ((date - start) / span) * usable;
  const clampX = (date) => Math.min(Math.max(x(date), geometry.left), geometry.width - geometry.right);
  return { x, clampX, inRange: (date) => date >= start && date <= end };
}

function feeText(status) {
  return status.renewal_fee_cents === null ? `fee ${unknownText(status.body_short)}` : formatMoney(status.renewal_fee_cents);
}

// --- what each element says on hover/focus -----------------------------------------------------

function describeBar(status) {
  const units = status.kind === 'cpr_aed' || status.units_required === null
    ? ''
    : ` · ${formatUnits(status.units_earned, status.unit)} of ${formatUnits(status.units_required, status.unit)}`;
  return `${status.abbreviation} (${status.body_short}): cycle ${formatDate(status.cycle_start)} – ${formatDate(status.cycle_end)} · ${statusWord(status.status, status.status_label)}${units}`;
}

function describeDeadline(status) {
  return `${status.abbreviation} deadline ${formatDate(status.cycle_end)} (${daysLeftText(status.days_left)})`;
}

function describeGrace(status) {
  const late = status.late_fee_cents === null ? unknownText(status.body_short) : formatMoney(status.late_fee_cents);
  return `${status.abbreviation} grace period ${formatDate(status.cycle_end)} – ${formatDate(status.grace_ends)}; late fee ${late}`;
}

/** When a planned course is: its day, or "any time before" its last day. */
function plannedWhen(course) {
  return course.any_time_before ? `any time before ${formatDate(course.planned_on)}` : formatDate(course.planned_on);
}

function creditText(credit, status) {
  const waiting = credit.pending ? ` once ${status.body_short} accepts it` : '';
  return `${status.abbreviation} +${formatUnits(credit.units, status.unit)}${waiting}`;
}

const PASSED = ' Its day has passed: log it or take it off the plan.';

function describePlanned(course, credit, status) {
  // A self-paced course counts toward a credential only if taken by its deadline.
  const by = credit.by < course.planned_on ? ` (by ${formatDate(credit.by)} for ${status.abbreviation})` : '';
  return `Planned, not earned yet: ${course.title}, ${plannedWhen(course)}${by}. It would bring ${creditText(credit, status)}.${course.passed ? PASSED : ''}`;
}

function describeFee(status) {
  const what = status.kind === 'cpr_aed' ? 'renewal course' : 'renewal fee';
  return `${status.abbreviation} ${what} ${feeText(status)}, due by ${formatDate(status.cycle_end)}`;
}

/** A focusable SVG element with a tooltip title that also fills the details panel. */
function focusable(element, description, showDetails) {
  element.setAttribute('tabindex', '0');
  element.classList.add('tl-focusable');
  element.append(svg('title', null, description));
  const show = () => showDetails(description);
  element.addEventListener('focus', show);
  element.addEventListener('mouseenter', show);
  return element;
}

// --- drawing ---------------------------------------------------------------------------------

function hatchPattern() {
  return svg('defs', null,
    svg('pattern', { id: 'tl-hatch', patternUnits: 'userSpaceOnUse', width: '7', height: '7', patternTransform: 'rotate(45)' },
      svg('rect', { width: '7', height: '7', class: 'tl-hatch-background' }),
      svg('line', { x1: '0', y1: '0', x2: '0', y2: '7', class: 'tl-hatch-line' })));
}

/** Gridlines, and the year and month labels (drawn apart, above the today line). */
function axis(geometry, scale, start, end) {
  const group = svg('g', { class: 'tl-axis', 'aria-hidden': 'true' });
  const labels = svg('g', { class: 'tl-axis-labels', 'aria-hidden': 'true' });
  const bottom = geometry.height - geometry.rem;
  // Month labels only where there is room for them between the years (narrow window, high zoom).
  const halfYearWidth = scale.x(new Date(start.getFullYear(), start.getMonth() + 6, start.getDate())) - scale.x(start);
  const roomForMonths = halfYearWidth > 3.5 * geometry.rem;
  // Gridlines every six months, labelled with the year in January and the month in July.
  for (let tick = new Date(start.getFullYear(), start.getMonth() < 6 ? 6 : 12, 1); tick <= end; tick = new Date(tick.getFullYear(), tick.getMonth() + 6, 1)) {
    if (tick < start) continue;
    const x = scale.x(tick);
    const isYear = tick.getMonth() === 0;
    group.append(svg('line', { x1: x, x2: x, y1: geometry.axis - 0.6 * geometry.rem, y2: bottom, class: isYear ? 'tl-grid tl-grid-year' : 'tl-grid' }));
    if (isYear || roomForMonths) {
      labels.append(svg('text', { x: x + 0.25 * geometry.rem, y: geometry.axis - 0.9 * geometry.rem, class: isYear ? 'tl-year' : 'tl-month' },
        isYear ? String(tick.getFullYear()) : formatShortMonth(tick)));
    }
  }
  return { grid: group, labels };
}

function todayLine(geometry, scale, today) {
  const x = scale.x(today);
  const nearRight = x > geometry.width * 0.7;
  return svg('g', { class: 'tl-today', 'data-date': toIsoDate(today) },
    svg('line', { x1: x, x2: x, y1: 0.4 * geometry.rem, y2: geometry.height - geometry.rem }),
    svg('text', { x: nearRight ? x - 0.3 * geometry.rem : x + 0.3 * geometry.rem, y: 1.15 * geometry.rem, 'text-anchor': nearRight ? 'end' : 'start' },
      `Today, ${formatDate(toIsoDate(today))}`));
}

function rowLabel(status, x, y) {
  return svg('text', { x, y, class: 'tl-label' },
    svg('tspan', { class: 'tl-label-name' }, `${status.abbreviation} `),
    svg('tspan', { class: 'tl-label-body' }, `${status.body_short} · `),
    svg('tspan', { class: `tl-label-status status-text-${status.status}` }, `${STATUS_ICONS[status.status] ?? ''} ${statusWord(status.status, status.status_label)}`));
}

/** The text under the bar at the deadline: "31 Dec 2026 · $60", placed to stay inside the chart. */
function deadlineCaption(status, geometry, x, y) {
  const placeLeft = x > geometry.width * 0.55;
  const offset = 0.9 * geometry.rem;
  const grace = status.status === 'grace' && status.grace_ends ? ` · grace to ${formatDate(status.grace_ends)}` : '';
  return svg('text', {
    x: placeLeft ? x - offset : x + offset, y, class: 'tl-caption', 'text-anchor': placeLeft ? 'end' : 'start',
  }, `${formatDate(status.cycle_end)} · ${status.renewal_fee_cents === null ? 'fee unknown' : formatMoney(status.renewal_fee_cents)}${grace}`);
}

/** The planned courses that would count toward this credential: a dashed circle on the last day
 *  it counts, and for a course "any time before" a dashed line from today to it. */
function plannedMarks(planned, status, geometry, scale, middle, showDetails) {
  const r = 0.4 * geometry.rem;
  return planned.flatMap((course) => {
    const credit = course.counts_for.find((c) => c.credential_id === status.id);
    const lastDay = credit && parseIsoDate(credit.by);
    if (!lastDay || !scale.inRange(lastDay)) return [];
    const x = scale.x(lastDay);
    const group = svg('g', {
      class: credit.pending ? 'tl-planned pending' : 'tl-planned', 'data-planned-id': String(course.id),
      'data-date': credit.by, 'data-from': course.from ?? '',
    });
    const from = course.from ? scale.clampX(parseIsoDate(course.from)) : x;
    if (x - r > from) group.append(svg('line', { x1: from, x2: x - r, y1: middle, y2: middle, class: 'tl-planned-span' }));
    group.append(svg('circle', { cx: x, cy: middle, r }));
    return [focusable(group, describePlanned(course, credit, status), showDetails)];
  });
}

function credentialRow(status, planned, index, geometry, scale, showDetails, app) {
  const top = geometry.axis + index * geometry.row;
  const barY = top + 1.55 * geometry.rem;
  const barHeight = 1.2 * geometry.rem;
  const middle = barY + barHeight / 2;
  const start = parseIsoDate(status.cycle_start);
  const end = parseIsoDate(status.cycle_end);
  const deadlineX = scale.clampX(end);
  const group = svg('g', { class: `tl-row status-${status.status}`, 'data-credential-id': String(status.id) });
  group.append(rowLabel(status, geometry.left, top + 1.05 * geometry.rem));

  const barStart = scale.clampX(start);
  if (deadlineX > barStart) {
    const bar = focusable(svg('rect', {
      x: barStart, y: barY, width: deadlineX - barStart, height: barHeight, rx: 0.3 * geometry.rem,
      class: `tl-bar status-${status.status}`, 'data-start': status.cycle_start, 'data-end': status.cycle_end,
    }), describeBar(status), showDetails);
    const open = () => app.navigate(`#/credential/${status.id}`);
    bar.addEventListener('click', open);
    bar.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
    group.append(bar);
  }

  if (status.grace_ends) {
    const graceEnd = scale.clampX(parseIsoDate(status.grace_ends));
    if (graceEnd > deadlineX) {
      group.append(focusable(svg('rect', {
        x: deadlineX, y: barY, width: graceEnd - deadlineX, height: barHeight,
        fill: 'url(#tl-hatch)', class: 'tl-grace', 'data-start': status.cycle_end, 'data-end': status.grace_ends,
      }), describeGrace(status), showDetails));
    }
  }

  // Under the deadline marker, which stays whole where a course is planned on its day.
  group.append(...plannedMarks(planned, status, geometry, scale, middle, showDetails));

  if (scale.inRange(end)) {
    const r = 0.55 * geometry.rem;
    group.append(focusable(svg('path', {
      d: `M ${deadlineX} ${middle - r * 1.4} L ${deadlineX + r} ${middle} L ${deadlineX} ${middle + r * 1.4} L ${deadlineX - r} ${middle} Z`,
      class: 'tl-deadline', 'data-date': status.cycle_end,
    }), describeDeadline(status), showDetails));
  }

  const feeY = barY + barHeight + 0.95 * geometry.rem;
  const feeMarker = focusable(svg('g', { class: 'tl-fee', 'data-date': status.cycle_end, 'data-amount-cents': status.renewal_fee_cents ?? '' },
    svg('circle', { cx: deadlineX, cy: feeY - 0.3 * geometry.rem, r: 0.6 * geometry.rem }),
    svg('text', { x: deadlineX, y: feeY, 'text-anchor': 'middle', class: 'tl-fee-sign' }, '$')), describeFee(status), showDetails);
  group.append(feeMarker, deadlineCaption(status, geometry, deadlineX, feeY));
  return group;
}

function drawTimeline(statuses, planned, today, width, showDetails, app) {
  const start = addYears(today, -1);
  const end = addYears(today, 3);
  const geometry = layout(width, statuses.length);
  const scale = scaleFor(geometry, start, end);
  const { grid, labels } = axis(geometry, scale, start, end);
  return svg('svg', {
    id: 'timeline-svg', class: 'timeline', width: geometry.width, height: geometry.height,
    viewBox: `0 0 ${geometry.width} ${geometry.height}`, role: 'group',
    'aria-label': `Timeline from ${formatDate(toIsoDate(start))} to ${formatDate(toIsoDate(end))}`,
    'data-start': toIsoDate(start), 'data-end': toIsoDate(end),
  },
  hatchPattern(),
  grid,
  statuses.map((status, index) => credentialRow(status, planned, index, geometry, scale, showDetails, app)),
  todayLine(geometry, scale, today),
  labels);
}

function legend() {
  const item = (className, text) => h('li', null, h('span', { class: `swatch ${className}`, 'aria-hidden': 'true' }), text);
  return h('ul', { class: 'timeline-legend', 'aria-label': 'Legend' },
    item('swatch-bar', 'Current cycle (colour and word give the status)'),
    item('swatch-deadline', 'Deadline'),
    item('swatch-grace', 'Grace period (hatched)'),
    item('swatch-fee', 'Renewal fee'),
    item('swatch-planned', 'Planned course, not earned yet (a dashed line: any time before its last day)'),
    item('swatch-today', 'Today'));
}

/** Redraws when the available width changes, so labels never shrink with the window. */
function drawWhenSized(container, draw) {
  let drawnWidth = 0;
  const redraw = () => {
    const width = Math.floor(container.clientWidth);
    if (width <= 0 || Math.abs(width - drawnWidth) < 4) return;
    drawnWidth = width;
    replaceChildren(container, draw(width));
  };
  const observer = new ResizeObserver(() => {
    if (!container.isConnected) {
      observer.disconnect();
      return;
    }
    redraw();
  });
  observer.observe(container);
}

/** The planned courses in words, each with what it would bring: the timeline's circles told. */
function plannedList(planned, statuses) {
  if (!planned.length) return null;
  const byId = new Map(statuses.map((status) => [status.id, status]));
  const sentence = (course) => {
    const counts = course.counts_for.filter((c) => byId.has(c.credential_id)).map((c) => creditText(c, byId.get(c.credential_id)));
    const what = counts.length ? `It would bring ${counts.join(', ')}.` : 'It counts toward none of your credentials before their deadlines.';
    return ` — ${plannedWhen(course)}. ${what}${course.passed ? PASSED : ''}`;
  };
  return h('section', { id: 'timeline-planned', class: 'panel' },
    h('h2', null, 'Planned courses, not earned yet'),
    h('p', { class: 'hint' }, 'Shown as dashed circles on the rows they would count toward. They count once you log them. ',
      h('a', { href: '#/plan' }, 'Open the plan')),
    h('ul', { class: 'plain-list' }, planned.map((course) => h('li', { 'data-planned-id': String(course.id) },
      h('strong', null, course.title), sentence(course)))));
}

export async function render(_params, app) {
  const [statuses, info, planned] = await Promise.all([getStatus(), appInfo().catch(() => null), plannedOnTimeline()]);
  const today = parseIsoDate(info?.today) ?? new Date(new Date().setHours(0, 0, 0, 0));
  const header = h('header', { class: 'view-header' }, h('div', null, h('h1', null, 'Timeline'),
    h('p', { class: 'subtitle' }, `From ${formatDate(toIsoDate(addYears(today, -1)))} to ${formatDate(toIsoDate(addYears(today, 3)))}, one row per credential.`)));
  if (!statuses.length) {
    return h('section', { id: 'timeline' }, header,
      h('p', { class: 'empty-state' }, 'No credential yet. ', h('a', { href: '#/add' }, 'Add your first credential'), ' to see its cycles here.'));
  }
  const details = h('p', { id: 'timeline-details', class: 'timeline-details', 'aria-live': 'polite' }, DEFAULT_HINT);
  const showDetails = (text) => {
    details.textContent = text;
  };
  const container = h('div', { class: 'timeline-container' });
  const draw = (width) => drawTimeline(statuses, planned, today, width, showDetails, app);
  // A first drawing at a typical width; the observer redraws it at the real width once laid out.
  container.append(draw(900));
  drawWhenSized(container, draw);
  return h('section', { id: 'timeline' }, header, details, container, legend(), plannedList(planned, statuses));
}
