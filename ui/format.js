// How numbers, money, dates and statuses read on screen. The backend sends ISO dates, cents and
// plain unit numbers; people see them in their locale.

import { h } from './dom.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_IN_TEXT = /\b(\d{4}-\d{2}-\d{2})\b/g;

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: 'short' });
const moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
// One decimal as the bodies write them (6.0 CEU); a second only when a value really has one.
const unitsFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** `YYYY-MM-DD` as a local date: `new Date('2026-12-31')` would be UTC midnight, a day early in the Americas. */
export function parseIsoDate(iso) {
  const match = ISO_DATE.exec(iso ?? '');
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  // Date rolls an impossible day over (2026-13-45 would be Feb 14, 2027): that is no date.
  return date.getFullYear() === year && date.getMonth() === month && date.getDate() === day ? date : null;
}

export function toIsoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function formatDate(iso) {
  const date = parseIsoDate(iso);
  return date ? dateFormat.format(date) : (iso ?? '');
}

export function formatMonth(date) {
  return monthFormat.format(date);
}

export function formatShortMonth(date) {
  return shortMonthFormat.format(date);
}

/** A `<time>` element showing a locale date, carrying the ISO date for machines and tests. */
export function dateElement(iso, className) {
  return h('time', { class: className, datetime: iso, 'data-date': iso }, formatDate(iso));
}

/** An RFC 3339 timestamp as a local date and time in a `<time>` element; unparsable text as is. */
export function dateTimeElement(timestamp, className) {
  const date = new Date(timestamp ?? '');
  const text = Number.isNaN(date.getTime()) ? (timestamp ?? '') : dateTimeFormat.format(date);
  return h('time', { class: className, datetime: timestamp }, text);
}

/**
 * "$79.00", the way the backend's sentences write money too ("Renew by … — $79.00"). Under a
 * C/POSIX locale (LANG=C.UTF-8: "en-US-u-va-posix") ICU puts a no-break space after the symbol
 * ("$ 79.00"): a space right after a leading symbol is dropped, so an amount reads the same
 * everywhere in the window.
 */
export function formatMoney(cents) {
  return moneyFormat.formatToParts(cents / 100)
    .filter((part, index, parts) => !(part.type === 'literal' && /^\s+$/.test(part.value)
      && parts[index - 1]?.type === 'currency'))
    .map((part) => part.value)
    .join('');
}

/** Dollars as a user would type them back into a form field: "60.00". */
export function centsToInput(cents) {
  return cents === null || cents === undefined ? '' : (cents / 100).toFixed(2);
}

export function formatNumber(value) {
  return countFormat.format(value);
}

export function formatUnits(value, unit) {
  return `${unitsFormat.format(value)} ${unit ?? 'units'}`;
}

export function unknownText(bodyShort) {
  return `unknown — check with ${bodyShort}`;
}

/** Money, or the "unknown — check with" sentence when the sources give no amount. */
/** What a credential's renewal costs is called: a CPR/AED card has no fee, only the course that renews it. */
export function renewalCostName(kind) {
  return kind === 'cpr_aed' ? 'Renewal course cost' : 'Renewal fee';
}

export function moneyOrUnknown(cents, bodyShort) {
  return cents === null || cents === undefined ? unknownText(bodyShort) : formatMoney(cents);
}

export function daysLeftText(days) {
  if (days === 0) return 'due today';
  if (days === 1) return '1 day left';
  if (days === -1) return '1 day past';
  return days > 0 ? `${formatNumber(days)} days left` : `${formatNumber(-days)} days past`;
}

export const STATUS_ICONS = {
  current: '✓',
  // U+25F7 (a clock face) rather than ⏳: fonts on minimal Linux installs lack the emoji.
  due_soon: '◷',
  grace: '⚠',
  lapsed: '✕',
};

const STATUS_WORDS = {
  current: 'Current',
  due_soon: 'Due soon',
  grace: 'Grace period',
  lapsed: 'Lapsed',
};

export function statusWord(status, label) {
  return label || STATUS_WORDS[status] || status;
}

/** The status as word + icon + colour: never colour alone. */
export function statusBadge(status, label, id) {
  return h('span', { class: `status status-${status}`, 'data-status': status, id },
    h('span', { class: 'status-icon', 'aria-hidden': 'true' }, STATUS_ICONS[status] ?? '•'),
    h('span', { class: 'status-word' }, statusWord(status, label)),
  );
}

/**
 * A backend sentence with its ISO dates shown in the user's locale ("Log 1.5 more CEU by
 * 31 Dec 2026"); each date stays machine-readable in a `<time>` element.
 */
export function sentenceWithDates(text) {
  const parts = [];
  let last = 0;
  for (const match of (text ?? '').matchAll(ISO_DATE_IN_TEXT)) {
    if (!parseIsoDate(match[1])) continue;
    parts.push(text.slice(last, match.index), dateElement(match[1]));
    last = match.index + match[1].length;
  }
  parts.push((text ?? '').slice(last));
  return parts;
}

/** The last path segment, for showing a chosen file without its folders. */
export function fileName(path) {
  return (path ?? '').split(/[\\/]/).filter(Boolean).pop() ?? '';
}
