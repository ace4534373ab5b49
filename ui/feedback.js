// Messages to the user: the top banner, one-shot confirmations after an action, in-page
// confirmation dialogs and form errors shown beside the field they are about.

import { h, replaceChildren, uniqueId } from './dom.js';

// --- banner: lasting conditions ("no notification server") -------------------------------------

/**
 * Shows a lasting message (text or nodes) above every view; `kind` is "info" or "warning".
 * A `dismissible` banner gets a Dismiss button, which hides it and then calls `onDismiss`.
 */
export function showBanner(message, kind = 'info', { dismissible = false, onDismiss } = {}) {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.className = `banner banner-${kind}`;
  const dismiss = dismissible
    ? h('button', { type: 'button', class: 'button small banner-dismiss', id: 'banner-dismiss' }, 'Dismiss')
    : null;
  dismiss?.addEventListener('click', () => {
    clearBanner();
    // The button that had focus is gone: continue from the view's heading, not the page top.
    const heading = document.querySelector('#view h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
    onDismiss?.();
  });
  replaceChildren(banner,
    h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, kind === 'warning' ? '⚠' : 'ℹ'),
    h('span', { class: 'banner-message' }, message),
    dismiss);
  banner.hidden = false;
}

export function clearBanner() {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.replaceChildren();
  banner.hidden = true;
}

// --- flash: one confirmation shown by the next view drawn ---------------------------------------

let pendingFlash = null;

/** Remembers a confirmation (text or nodes) for the next view, e.g. the dashboard after saving. */
export function flash(...content) {
  pendingFlash = content;
}

/** The pending confirmation as an element, once; null when there is none. */
export function takeFlash() {
  if (!pendingFlash) return null;
  const content = pendingFlash;
  pendingFlash = null;
  return h('div', { id: 'flash', class: 'flash', role: 'status', tabindex: '-1' },
    h('span', { class: 'flash-icon', 'aria-hidden': 'true' }, '✓'),
    h('div', { class: 'flash-body' }, content));
}

// --- confirmation dialog (never window.confirm: it blocks and looks foreign) ---------------------

/** Asks a yes/no question in a modal `<dialog>`; resolves true when the user confirms. */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', cancelLabel = 'Cancel', danger = false }) {
  document.getElementById('confirm-dialog')?.remove();
  const titleId = uniqueId('confirm-title');
  const yes = h('button', { type: 'button', id: 'confirm-yes', class: danger ? 'button danger' : 'button primary' }, confirmLabel);
  const no = h('button', { type: 'button', id: 'confirm-no', class: 'button' }, cancelLabel);
  const dialog = h('dialog', { id: 'confirm-dialog', class: 'dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    h('p', null, message),
    h('div', { class: 'actions' }, no, yes));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    // Escape closes a modal dialog by itself; treat it as "no".
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.showModal();
    no.focus();
  });
}

// --- form errors ------------------------------------------------------------------------------

export function clearErrors(scope) {
  for (const error of scope.querySelectorAll('.field-error, .form-error')) error.remove();
  for (const input of scope.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.startsWith('error-'));
    if (described.length) input.setAttribute('aria-describedby', described.join(' '));
    else input.removeAttribute('aria-describedby');
  }
}

/** Removes the error beside one field, once the user starts correcting it. */
export function clearFieldError(fieldContainer) {
  if (!fieldContainer) return;
  fieldContainer.querySelector('.field-error')?.remove();
  const input = fieldContainer.querySelector('[aria-invalid="true"]');
  input?.removeAttribute('aria-invalid');
}

function errorParagraph(message, className) {
  return h('p', { class: className, role: 'alert', id: uniqueId('error') },
    h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '⚠ '), message);
}

function visibleFieldContainer(scope, field) {
  const candidates = scope.querySelectorAll(`[data-field~="${CSS.escape(field)}"]`);
  return [...candidates].find((element) => !element.closest('[hidden]')) ?? null;
}

/** Puts one `{field, message}` right after its field's input; false when the field is not shown. */
function showBesideField(scope, { field, message }, focus) {
  const container = field ? visibleFieldContainer(scope, field) : null;
  if (!container) return false;
  const paragraph = errorParagraph(message, 'field-error');
  const input = container.querySelector('input:not([type="checkbox"]), textarea, select, button');
  const label = container.querySelector('label');
  // Right after the input (or its label row) so it reads as part of that field.
  const anchor = input?.closest('.input-row') ?? input ?? label;
  if (anchor) anchor.after(paragraph);
  else container.append(paragraph);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', described ? `${described} ${paragraph.id}` : paragraph.id);
    if (focus) input.focus();
  }
  return true;
}

/**
 * Shows a backend refusal beside the element whose `data-field` lists its field; without one,
 * at the top of the form. A form with several problems (`errors`) shows every one at once, each
 * beside its field, with the cursor in the first. Nothing the user typed is touched.
 */
export function showError(scope, error) {
  const problems = error?.errors?.length > 1
    ? error.errors
    : [{ field: error?.field, message: error?.message ?? String(error) }];
  const unplaced = [];
  let focused = false;
  for (const problem of problems) {
    if (showBesideField(scope, problem, !focused)) focused = true;
    else unplaced.push(problem);
  }
  if (!unplaced.length) return;
  const top = unplaced.map(({ field, message }) => errorParagraph(`${field ? `${field}: ` : ''}${message}`, 'form-error'));
  scope.prepend(...top);
  if (!focused) top[0].scrollIntoView({ block: 'nearest' });
}

/** An error in place of a whole view (the backend could not be reached, an id vanished). */
export function errorPanel(error) {
  return h('section', { class: 'error-panel', role: 'alert' },
    h('h1', { tabindex: '-1' }, 'Something went wrong'),
    h('p', null, error?.message ?? String(error)),
    h('p', null, h('a', { href: '#/dashboard', class: 'button' }, 'Back to the dashboard')));
}
