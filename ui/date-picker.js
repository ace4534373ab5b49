// A small calendar beside a date text field. The text field stays the field: people type a date
// (the core reads ISO and MM/DD/YYYY), or open the calendar and pick a day, which writes it as
// YYYY-MM-DD and tells the form (an `input` event). Keyboard: arrows move by a day or a week,
// Page Up/Down by a month, Home/End to the start/end of the week, Enter or Space picks, Escape
// closes and returns to the button. `dateField` is a whole date field: the text field, its calendar
// and the day the core read in it ("= Dec 6, 2026"), as every form but the log form uses it (that
// one reads the date back from its credit preview).

import { appInfo, readDate as readTypedDate } from './api.js';
import { h, replaceChildren, svg, textField, uniqueId } from './dom.js';
import { formatDate, formatMonth, parseIsoDate, toIsoDate } from './format.js';

const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const longWeekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });

const addDays = (date, days) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
const sameDay = (a, b) => a && b && toIsoDate(a) === toIsoDate(b);

/** The same day in another month, kept inside that month (Jan 31 + 1 month = Feb 28). */
function addMonths(date, months) {
  const first = new Date(date.getFullYear(), date.getMonth() + months, 1);
  const lastDay = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
  return new Date(first.getFullYear(), first.getMonth(), Math.min(date.getDate(), lastDay));
}

function calendarIcon() {
  return svg('svg', { viewBox: '0 0 16 16', width: '16', height: '16', 'aria-hidden': 'true', focusable: 'false', class: 'calendar-icon' },
    svg('rect', { x: '1.5', y: '2.5', width: '13', height: '12', rx: '1.5' }),
    svg('line', { x1: '1.5', y1: '6', x2: '14.5', y2: '6' }),
    svg('line', { x1: '5', y1: '1', x2: '5', y2: '4' }),
    svg('line', { x1: '11', y1: '1', x2: '11', y2: '4' }));
}

/**
 * Puts a calendar button beside `input` (inside a `.input-row` wrapper, so errors land after
 * both). `max` (ISO, or a function answering it) disables later days, e.g. today for a completion
 * date. `readDate` returns
 * the date the field currently holds as the core read it (ISO) or null; the calendar opens there.
 */
export function attachDatePicker(input, { label, max = null, readDate = () => null }) {
  const popupId = uniqueId('calendar');
  const button = h('button', {
    type: 'button', class: 'button calendar-button', id: `${input.id}-calendar`,
    'aria-label': `${label}: choose from a calendar`, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': popupId,
  }, calendarIcon());
  const popup = h('div', { class: 'calendar-popup', id: popupId, role: 'dialog', 'aria-label': `${label}: calendar`, hidden: true });
  const row = h('div', { class: 'input-row date-row' });
  input.replaceWith(row);
  row.append(input, button, popup);

  let maxDate = null; // read again each time the calendar opens
  let shown = null; // first day of the month on screen
  let focused = null; // the day that has the keyboard focus

  const isOpen = () => !popup.hidden;

  function close({ returnTo = button } = {}) {
    if (!isOpen()) return;
    popup.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', closeOnOutside, true);
    returnTo?.focus();
  }

  function closeOnOutside(event) {
    if (!row.contains(event.target)) close({ returnTo: null });
  }

  function pick(date) {
    input.value = toIsoDate(date);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    close({ returnTo: input });
  }

  function dayButton(date, month) {
    const iso = toIsoDate(date);
    const disabled = Boolean(maxDate && date > maxDate);
    const selected = sameDay(date, parseIsoDate(readDate()));
    const dayButtonElement = h('button', {
      type: 'button', class: 'calendar-day', 'data-date': iso, tabindex: sameDay(date, focused) ? '0' : '-1',
      'aria-label': `${longWeekdayFormat.format(date)}, ${formatDate(iso)}${disabled ? ' (after today)' : ''}`,
      'aria-pressed': selected ? 'true' : 'false', disabled,
    }, String(date.getDate()));
    if (date.getMonth() !== month) dayButtonElement.classList.add('other-month');
    if (maxDate && sameDay(date, maxDate)) dayButtonElement.classList.add('today');
    dayButtonElement.addEventListener('click', () => pick(date));
    return h('td', null, dayButtonElement);
  }

  function draw() {
    const month = shown.getMonth();
    // Weeks start on Sunday, as US calendars print them.
    const firstCell = addDays(shown, -shown.getDay());
    const weeks = [];
    for (let week = 0; week < 6; week += 1) {
      const days = [];
      for (let day = 0; day < 7; day += 1) days.push(dayButton(addDays(firstCell, week * 7 + day), month));
      weeks.push(h('tr', null, days));
    }
    const heading = h('p', { class: 'calendar-month', 'aria-live': 'polite' }, formatMonth(shown));
    const previous = h('button', { type: 'button', class: 'button small calendar-previous', 'aria-label': 'Previous month' }, '‹');
    const next = h('button', { type: 'button', class: 'button small calendar-next', 'aria-label': 'Next month' }, '›');
    previous.addEventListener('click', () => show(addMonths(focused, -1), false));
    next.addEventListener('click', () => show(addMonths(focused, 1), false));
    const headers = [];
    for (let day = 0; day < 7; day += 1) {
      const date = addDays(firstCell, day);
      headers.push(h('th', { scope: 'col', abbr: longWeekdayFormat.format(date) }, weekdayFormat.format(date)));
    }
    replaceChildren(popup,
      h('div', { class: 'calendar-header' }, previous, heading, next),
      h('table', { class: 'calendar-grid', role: 'grid', 'aria-label': formatMonth(shown) },
        h('thead', null, h('tr', null, headers)),
        h('tbody', null, weeks)),
      h('div', { class: 'calendar-footer' },
        h('button', { type: 'button', class: 'button small calendar-close', on: { click: () => close() } }, 'Close')));
  }

  /** Shows the month of `date` with `date` focused (moving the focus only when asked). */
  function show(date, moveFocus = true) {
    focused = maxDate && date > maxDate ? maxDate : date;
    shown = new Date(focused.getFullYear(), focused.getMonth(), 1);
    draw();
    if (moveFocus) popup.querySelector(`.calendar-day[data-date="${toIsoDate(focused)}"]`)?.focus();
  }

  function open() {
    maxDate = parseIsoDate(typeof max === 'function' ? max() : max);
    popup.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', closeOnOutside, true);
    show(parseIsoDate(readDate()) ?? maxDate ?? new Date());
  }

  button.addEventListener('click', () => (isOpen() ? close() : open()));
  // Tabbing away closes it (a redraw removes the focused day: no related target, stays open).
  row.addEventListener('focusout', (event) => {
    if (isOpen() && event.relatedTarget && !row.contains(event.relatedTarget)) close({ returnTo: null });
  });

  popup.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      return;
    }
    if (!event.target.classList.contains('calendar-day')) return;
    const moves = {
      ArrowLeft: () => addDays(focused, -1),
      ArrowRight: () => addDays(focused, 1),
      ArrowUp: () => addDays(focused, -7),
      ArrowDown: () => addDays(focused, 7),
      PageUp: () => addMonths(focused, -1),
      PageDown: () => addMonths(focused, 1),
      Home: () => addDays(focused, -focused.getDay()),
      End: () => addDays(focused, 6 - focused.getDay()),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    show(move());
  });

  return button;
}

// Recert's today (the clock, or --today), asked once: the calendar of a day that cannot be in the
// future (earned, renewed) offers no later day.
let today = null;
let askedForToday = false;
function recertToday() {
  if (!askedForToday) {
    askedForToday = true;
    appInfo().then((info) => { today = info.today; }).catch((error) => console.error('Could not read today:', error));
  }
  return today;
}

/**
 * A labelled date field (`textField`'s options) with its calendar and, under it, the day the core
 * reads in what was typed: "= Dec 6, 2026", nothing while it reads no date. `notAfterToday`: the
 * calendar offers no day after today (the core refuses a future date there).
 */
export function dateField({ notAfterToday = false, ...options }) {
  const max = notAfterToday ? recertToday : null;
  const field = textField({ placeholder: 'YYYY-MM-DD', ...options });
  const input = field.querySelector('input');
  const echo = h('p', { class: 'echo', id: `${options.id}-echo`, 'aria-live': 'polite' });
  let read = null; // the ISO day last read, so the calendar opens on a US date typed a moment ago
  if (notAfterToday) recertToday();
  attachDatePicker(input, {
    label: options.label,
    max,
    readDate: () => (parseIsoDate(input.value.trim()) ? input.value.trim() : read),
  });
  input.closest('.input-row').after(echo);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), echo.id].filter(Boolean).join(' '));
  let asked = 0;
  async function readBack() {
    const text = input.value.trim();
    asked += 1;
    const thisAsk = asked;
    let day = null;
    if (text) {
      try {
        day = await readTypedDate(text);
      } catch (error) {
        console.error('Could not read the date back:', error);
      }
    }
    // A later keystroke's answer wins.
    if (thisAsk !== asked) return;
    read = day;
    echo.textContent = day ? `= ${formatDate(day)}` : '';
    echo.dataset.date = day ?? '';
  }
  input.addEventListener('input', readBack);
  if (input.value.trim()) readBack();
  return field;
}
