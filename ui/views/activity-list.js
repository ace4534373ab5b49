// The activities already logged, newest first, each with Edit, Delete and (when kept) its proof.

import { deleteActivity, listActivities, openProof } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { confirmDialog } from '../feedback.js';
import { dateElement, formatMoney, formatNumber, formatUnits } from '../format.js';

function creditText(credit, held) {
  const status = held.get(credit.credential_id);
  const category = credit.category ? ` (category ${credit.category})` : '';
  const typed = credit.overridden ? ', as typed' : '';
  return `${status?.abbreviation ?? `#${credit.credential_id}`} ${formatUnits(credit.units, status?.unit)}${category}${typed}`;
}

function alertInline(section, error) {
  section.prepend(h('p', { class: 'form-error', role: 'alert' }, error.message));
}

/**
 * An opening balance is a balance, not a course: "Earned before Recert: 2.0 CEU (A)", with no date
 * or hours (Recert never knew them).
 */
function balanceItem(activity, held, { onDelete }) {
  const id = String(activity.id);
  const credit = activity.credits[0];
  const status = held.get(activity.opening_balance_for);
  const amount = credit ? formatUnits(credit.units, status?.unit) : '';
  const category = credit?.category ? ` (${credit.category})` : '';
  return h('li', { class: 'activity-item opening-balance', 'data-activity-id': id, 'data-balance-for': String(activity.opening_balance_for) },
    h('div', { class: 'activity-main' },
      h('strong', { class: 'activity-title' }, `${activity.title}: ${amount}${category}`),
      h('span', { class: 'block hint activity-credits' },
        `${status?.abbreviation ?? 'A credential'}: a balance you read off your ${status?.body_short ?? 'body’s'} account, not a course`)),
    h('div', { class: 'activity-actions' },
      h('button', {
        type: 'button', class: 'button small danger delete-activity', 'data-activity-id': id,
        'aria-label': `Delete the balance earned before Recert${status ? ` for ${status.abbreviation}` : ''}`,
        on: { click: () => onDelete(activity) },
      }, 'Delete')));
}

function activityItem(activity, held, { onEdit, onDelete, section }) {
  if (activity.opening_balance_for != null) return balanceItem(activity, held, { onDelete });
  const credits = activity.credits.map((credit) => creditText(credit, held));
  const id = String(activity.id);
  return h('li', { class: 'activity-item', 'data-activity-id': id },
    h('div', { class: 'activity-main' },
      h('strong', { class: 'activity-title' }, activity.title),
      h('span', { class: 'hint' }, ' · ', dateElement(activity.completed_on), ` · ${formatNumber(activity.hours)} h`,
        activity.cost_cents ? ` · ${formatMoney(activity.cost_cents)}` : '',
        activity.provider ? ` · ${activity.provider}` : ''),
      h('span', { class: 'block hint activity-credits' }, credits.length ? `Credited: ${credits.join(', ')}` : 'Not credited to any credential')),
    h('div', { class: 'activity-actions' },
      activity.proof ? h('button', {
        type: 'button', class: 'button small open-proof', 'data-activity-id': id,
        on: { click: () => openProof(activity.id).catch((error) => alertInline(section, error)) },
      }, 'Open proof') : null,
      h('button', {
        type: 'button', class: 'button small edit-activity', 'data-activity-id': id,
        'aria-label': `Edit “${activity.title}”`, on: { click: () => onEdit(activity) },
      }, 'Edit'),
      h('button', {
        type: 'button', class: 'button small danger delete-activity', 'data-activity-id': id,
        'aria-label': `Delete “${activity.title}”`, on: { click: () => onDelete(activity) },
      }, 'Delete')));
}

/** Draws the list into `section`; `onEdit(activity)` opens an activity in the form. */
export async function fillActivityLog(section, statuses, { onEdit }) {
  const activities = await listActivities();
  const held = new Map(statuses.map((status) => [status.id, status]));
  const onDelete = async (activity) => {
    const sure = await confirmDialog({
      title: `Delete “${activity.title}”?`,
      message: 'Its credits are taken back from every credential, and its proof copy is no longer listed.',
      confirmLabel: 'Delete activity',
      danger: true,
    });
    if (!sure) return;
    try {
      await deleteActivity(activity.id);
      await fillActivityLog(section, statuses, { onEdit });
    } catch (error) {
      alertInline(section, error);
    }
  };
  const recent = [...activities].sort((a, b) => b.completed_on.localeCompare(a.completed_on) || b.id - a.id);
  replaceChildren(section,
    h('h2', { id: 'activity-log-title' }, 'Your log'),
    recent.length
      ? h('ul', { class: 'activity-list', 'aria-labelledby': 'activity-log-title' },
        recent.map((activity) => activityItem(activity, held, { onEdit, onDelete, section })))
      : h('p', { class: 'hint' }, 'Nothing logged yet.'));
}

export function showListError(section, error) {
  alertInline(section, error);
}
