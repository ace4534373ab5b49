// The proof field of the log form: a certificate or receipt chosen in the desktop's own dialog,
// kept, replaced or removed while editing.

import { pickProofFile } from '../api.js';
import { h } from '../dom.js';
import { clearFieldError, showError } from '../feedback.js';
import { fileName } from '../format.js';

export function proofField(state) {
  const name = h('span', { id: 'proof-name', class: 'proof-name' }, 'No file chosen');
  const clear = h('button', { type: 'button', class: 'button small', id: 'clear-proof', hidden: true }, 'Remove file');
  const pick = h('button', { type: 'button', class: 'button', id: 'pick-proof', 'aria-describedby': 'proof-name proof-hint' }, 'Choose file…');
  // While editing, the activity's own proof is kept unless a new file replaces it or the user
  // removes it; the line says which will happen on Save.
  const show = () => {
    const current = state.editing?.proof?.original_name ?? null;
    const kept = current && !state.removeProof ? current : null;
    if (state.proofPath) {
      name.textContent = current ? `${fileName(state.proofPath)} (replaces ${current})` : fileName(state.proofPath);
    } else if (kept) {
      name.textContent = `${kept} (kept)`;
    } else if (current) {
      name.textContent = `No proof: ${current} will be removed`;
    } else {
      name.textContent = 'No file chosen';
    }
    name.title = state.proofPath ?? '';
    clear.hidden = !(state.proofPath || kept);
    clear.textContent = state.proofPath ? 'Remove file' : 'Remove proof';
    pick.textContent = state.proofPath || kept ? 'Replace…' : 'Choose file…';
  };
  state.showProof = show;
  const container = h('fieldset', { class: 'form-section', id: 'proof-section', 'data-field': 'proof' },
    h('legend', null, 'Proof (optional)'),
    h('div', { class: 'input-row' }, pick, name, clear),
    h('p', { class: 'hint', id: 'proof-hint' }, 'A certificate or receipt (PDF or image). Recert keeps its own copy in the data folder.'));
  pick.addEventListener('click', async () => {
    clearFieldError(container);
    try {
      const path = await pickProofFile();
      if (path) {
        state.proofPath = path;
        state.removeProof = false;
      }
      show();
    } catch (error) {
      showError(container.closest('form') ?? container, { ...error, field: 'proof', message: error.message });
    }
  });
  clear.addEventListener('click', () => {
    if (state.proofPath) state.proofPath = null;
    else state.removeProof = true;
    show();
    pick.focus();
  });
  return container;
}
