// Which rules Recert uses, and newer rules loaded from a file without a new release: what the file
// changes for the credentials held is shown first, and nothing changes until the user says so.

import { catalogInfo, chooseFile, undoCatalog, updateCatalog } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { flash } from '../feedback.js';
import { dateElement } from '../format.js';
import { pathField } from './data-exchange.js';

function rulesInUse(info) {
  const origin = info.built_in ? 'built into Recert' : 'from a rules file you loaded';
  return h('p', { id: 'rules-in-use' }, 'Rules as of ', dateElement(info.published_on),
    ` (version ${info.version}, ${origin}).`);
}

/** The changes a rules file (or an undo) makes, credential by credential. */
function changeList(change) {
  if (!change.credentials.length) {
    return h('p', { class: 'hint', id: 'rules-no-change' }, 'Nothing changes for the credentials you hold.');
  }
  return h('ul', { class: 'rules-changes', id: 'rules-changes' }, change.credentials.map((credential) =>
    h('li', null, h('strong', null, credential.abbreviation),
      h('ul', null,
        credential.changes.map((field) => h('li', { class: 'rules-change' }, `${field.field}: ${field.before} → ${field.after}`)),
        credential.kept.map((field) => h('li', { class: 'rules-kept hint' },
          `${field.field}: yours is kept (${field.before}; the file says ${field.after})`))))));
}

export async function rulesSection() {
  const root = h('section', { class: 'panel', id: 'rules-file', 'aria-labelledby': 'rules-file-title' });
  const result = h('div', { id: 'rules-result', class: 'inline-status', role: 'status' });
  const draw = async () => {
    const info = await catalogInfo();
    const field = pathField({ id: 'rules-path', label: 'Rules file (JSON)', choose: () => chooseFile('rules') });
    const check = h('button', { type: 'button', class: 'button', id: 'rules-preview' }, 'Show what it changes');
    const failed = (error) => replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
    check.addEventListener('click', async () => {
      const path = root.querySelector('#rules-path').value.trim();
      try {
        const change = await updateCatalog(path, false);
        const apply = h('button', { type: 'button', class: 'button primary', id: 'rules-apply' }, 'Use these rules');
        apply.addEventListener('click', async () => {
          apply.disabled = true;
          try {
            const applied = await updateCatalog(path, true);
            await draw();
            replaceChildren(result, h('p', null, '✓ Now using the rules as of ', dateElement(applied.to_published_on), '.'), changeList(applied));
            flash('Rules updated.');
          } catch (error) {
            apply.disabled = false;
            failed(error);
          }
        });
        replaceChildren(result,
          h('p', null, 'This file has the rules as of ', dateElement(change.to_published_on), ` (version ${change.to_version}). Nothing changes until you use them.`),
          changeList(change), apply);
      } catch (error) {
        failed(error);
      }
    });
    const undo = info.can_undo
      ? h('button', { type: 'button', class: 'button', id: 'rules-undo' }, 'Go back to the previous rules')
      : null;
    undo?.addEventListener('click', async () => {
      try {
        const change = await undoCatalog();
        await draw();
        replaceChildren(result, h('p', null, '✓ Back to the rules as of ', dateElement(change.to_published_on), '.'), changeList(change));
      } catch (error) {
        failed(error);
      }
    });
    replaceChildren(root,
      h('h2', { id: 'rules-file-title' }, 'Renewal rules'),
      rulesInUse(info),
      info.note ? h('p', { class: 'hint' }, info.note) : null,
      h('p', null, 'Bodies change their rules from cycle to cycle. Load a newer rules file to see what it changes for your credentials, then use it. What you typed for a credential is always kept.'),
      field,
      h('div', { class: 'actions start' }, check, undo),
      result);
  };
  await draw();
  return root;
}
