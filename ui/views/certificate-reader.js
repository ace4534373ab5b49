// "Read a certificate…" on the log form (issue 21): a file chosen in the desktop's dialog or
// dropped on the window is read by the backend (PDF text, or Tesseract for a picture, off the
// window's thread), then the form is filled. Each filled field says under it the words it came
// from; a field Recert did not find or was unsure of stays empty and is marked. The certificate
// becomes the proof; units stated for a body go to that body's credentials as typed units, and
// the body is ticked as approving it. Nothing is saved until the user presses Save.

import { onEvent, readCertificate } from '../api.js';
import { h } from '../dom.js';
import { fileName } from '../format.js';

const FIELDS = [
  ['title', 'log-title', 'title'],
  ['completed_on', 'log-date', 'completed_on'],
  ['hours', 'log-hours', 'hours'],
  ['provider', 'log-provider', 'provider'],
];

function setValue(input, value) {
  input.value = value ?? '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The line under a field: the words it was read from, or why it stayed empty. */
function mark(form, inputId, text, unsure) {
  const input = form.querySelector(`#${inputId}`);
  if (!input) return;
  const field = input.closest('.field') ?? input.parentElement;
  field.querySelector('.cert-source')?.remove();
  const id = `${inputId}-cert`;
  const note = h('p', { class: `hint cert-source${unsure ? ' cert-unsure' : ''}`, id, 'data-unsure': String(unsure) }, text);
  field.append(note);
  const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== id);
  input.setAttribute('aria-describedby', [...described, id].join(' '));
  input.title = unsure ? '' : text;
}

const later = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * Types the units the certificate states into the preview's rows of the credentials they go to
 * (the backend matched bodies to credentials, as logging does).
 */
async function typeUnits(form, statedUnits) {
  for (const { credential_id: credentialId, units } of statedUnits) {
    let input = null;
    for (let tries = 0; tries < 40 && !input; tries += 1) {
      input = form.querySelector(`#override-${credentialId}`);
      if (!input) await later(100); // the preview makes its rows once the fields are read
    }
    if (input) setValue(input, units);
  }
}

function tickApprovals(form, reading) {
  const bodies = new Map(reading.units.map((u) => [u.body, '']));
  for (const a of reading.approval) bodies.set(a.body, a.number);
  for (const [body, number] of bodies) {
    const box = form.querySelector(`input.approved-by[data-body="${CSS.escape(body)}"]`);
    if (!box) continue;
    box.checked = true;
    const numberInput = form.querySelector(`#${box.id}-number`);
    if (numberInput && number && !numberInput.value.trim()) numberInput.value = number;
  }
}

async function fill(form, state, result, status) {
  const { reading, path, duplicates } = result;
  for (const [key, inputId, evidenceKey] of FIELDS) {
    const input = form.querySelector(`#${inputId}`);
    if (!input) continue;
    const value = reading[key];
    const unsure = reading.unsure.find((u) => u.field === key);
    if (value !== null && value !== undefined) {
      setValue(input, String(value));
      mark(form, inputId, `From the certificate: “${reading.evidence[evidenceKey] ?? ''}”`, false);
    } else {
      setValue(input, '');
      mark(form, inputId, unsure ? `⚠ Not sure (${unsure.reason}): please type it.` : '⚠ Not found on the certificate: please type it.', true);
    }
  }
  state.proofPath = path;
  state.removeProof = false;
  state.showProof?.();
  tickApprovals(form, reading);
  const found = FIELDS.filter(([key]) => reading[key] !== null && reading[key] !== undefined).length;
  const same = duplicates.map((d) => `“${d.title}” on ${d.completed_on} (${d.reason})`).join('; ');
  status.textContent = `Read ${fileName(path)}: ${found} of ${FIELDS.length} fields found. Check them, correct what is wrong, then save.`;
  if (same) status.append(h('strong', { class: 'cert-duplicate' }, ` This certificate looks logged already: ${same}.`));
  await typeUnits(form, result.stated_units ?? []);
}

/** The "Read a certificate…" row, placed at the top of the log form. */
export function certificateReader(form, state) {
  const status = h('p', { class: 'hint', id: 'certificate-status', 'aria-live': 'polite' },
    'Or drop a certificate (PDF, PNG, JPEG) on this window.');
  const button = h('button', { type: 'button', class: 'button', id: 'read-certificate' }, 'Read a certificate…');
  const read = async (path) => {
    button.disabled = true;
    status.setAttribute('aria-busy', 'true');
    status.textContent = path ? `Reading ${fileName(path)}… (a picture takes a few seconds)` : 'Choose a certificate…';
    try {
      const result = await readCertificate(path ?? null);
      if (result) await fill(form, state, result, status);
      else status.textContent = 'No certificate chosen.';
    } catch (error) {
      status.textContent = error.message;
      status.classList.add('field-error');
    } finally {
      button.disabled = false;
      status.removeAttribute('aria-busy');
    }
  };
  button.addEventListener('click', () => {
    status.classList.remove('field-error');
    read(null);
  });
  // Files dropped on the window come as paths from Tauri (the page never reads the disk).
  const stop = onEvent('tauri://drag-drop', (payload) => {
    if (!form.isConnected) {
      stop.then((unlisten) => unlisten()).catch(() => {});
      return;
    }
    const path = payload?.paths?.[0];
    if (path) read(path);
  });
  stop.catch(() => {});
  const container = h('div', { class: 'form-section certificate-reader', id: 'certificate-reader' },
    h('div', { class: 'input-row' }, button), status);
  // The drop's own path, on the element (the window tests use it: WebDriver cannot drop a file).
  container.readPath = read;
  return container;
}
