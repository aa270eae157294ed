// "Record a lifecycle event" in the parcel panel: kind, date, the payload fields the
// kind needs, a note and an optional document (uploaded first through /api/documents).
// A refusal (409) shows the rule, the clause and the Chinese sentence.
import * as api from './api.js';
import { signedIn } from './auth.js';
import { enumName, getLang, t } from './i18n.js';
import { esc } from './format.js';
import { ENUMS } from './vocab.js';

const OUTCOMES = {
  phase1_concluded: ['cleared', 'phase2_needed'],
  phase2_concluded: ['cleared', 'contaminated'],
  risk_assessed: ['acceptable', 'control_needed'],
};

/** The payload inputs of a kind: [name, type, options?]. */
function fieldsOf(kind) {
  if (OUTCOMES[kind]) return [['outcome', 'select', OUTCOMES[kind]]];
  switch (kind) {
    case 'suspicion_raised':
      return [['reason', 'text']];
    case 'plan_filed':
      return [['plan', 'select', ['control', 'remediation']]];
    case 'soil_transport_declared':
      return [['quantity_m3', 'number'], ['destination', 'text'], ['deadline', 'date']];
    case 'effect_evaluated':
      return [['evaluator', 'text'], ['contractor', 'text']];
    case 'correction':
      return [['voids', 'number']];
    default:
      return [];
  }
}

const label = (name) => t(`payload_${{ quantity_m3: 'quantity' }[name] ?? name}`);
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing date

export function refusalHtml(e) {
  const d = e.detail ?? {};
  const msg = getLang() === 'en' ? d.message : d.message_zh || d.message;
  if (d.code === 'transition_forbidden' || d.rule) {
    return `<div class="refusal" data-rule="${esc(d.rule ?? '')}"><strong>${esc(t('refused'))}</strong>${esc(getLang() === 'en' ? ': ' : '：')}${esc(msg ?? '')}
      <div class="muted small">${esc(t('clause'))}${esc(getLang() === 'en' ? ': ' : '：')}${esc(d.clause ?? '—')} · <code>${esc(d.rule ?? d.code ?? '')}</code></div>
      ${d.message_zh && getLang() === 'en' ? `<div class="small">${esc(d.message_zh)}</div>` : ''}</div>`;
  }
  return `<p class="error">${esc(t('write_failed', { m: `${msg ?? e.message}${d.field ? ` (${d.field})` : ''}` }))}</p>`;
}

/** The payload inputs of an event kind (names `p.<field>`), for any form that records one. */
export const payloadFields = (kind) =>
  fieldsOf(kind)
    .map(([name, type, opts]) =>
      type === 'select'
        ? `<label><span>${esc(label(name))}</span><select name="p.${name}">${opts.map((o) => `<option value="${o}">${esc(enumName('outcome', o))}</option>`).join('')}</select></label>`
        : `<label><span>${esc(label(name))}</span><input name="p.${name}" type="${type}" required${type === 'number' ? ' min="0" step="any"' : ''} /></label>`,
    )
    .join('');

/** The payload of an event kind read back from a form's FormData. */
export function readPayload(kind, data) {
  const payload = {};
  for (const [name, type] of fieldsOf(kind)) {
    const v = data.get(`p.${name}`);
    if (v !== null && v !== '') payload[name] = type === 'number' ? Number(v) : v;
  }
  return payload;
}

/** The kind, date and payload inputs of an event, for forms that record one alongside something else. */
export function eventFields(kind) {
  const kinds = Object.keys(ENUMS.event).filter((k) => k !== 'correction');
  return `<label><span>${esc(t('kind'))}</span><select name="kind">${kinds.map((k) => `<option value="${k}"${k === kind ? ' selected' : ''}>${esc(enumName('event', k))}</option>`).join('')}</select></label>
    <label><span>${esc(t('occurred_on'))}</span><input type="date" name="occurred_on" required value="${today()}" max="${today()}" /></label>
    <div class="payload-fields">${payloadFields(kind)}</div>
    <label><span>${esc(t('note'))}</span><textarea name="note" rows="2"></textarea></label>`;
}

/** Draws the form into `root` for parcel `code`; onSaved() after a 201. */
export function createEventForm(root, code, { onSaved }) {
  const box = document.createElement('details');
  box.className = 'write';
  box.dataset.tool = 'event';
  root.append(box);

  const render = () => {
    if (!signedIn()) {
      box.innerHTML = `<summary>${esc(t('record_event'))}</summary><p class="muted">${esc(t('sign_in_to_write'))}</p>`;
      return;
    }
    const kinds = Object.keys(ENUMS.event);
    box.innerHTML = `<summary>${esc(t('record_event'))}</summary>
      <form class="write-form" name="event">
        <label><span>${esc(t('kind'))}</span><select name="kind">${kinds.map((k) => `<option value="${k}">${esc(enumName('event', k))}</option>`).join('')}</select></label>
        <label><span>${esc(t('occurred_on'))}</span><input type="date" name="occurred_on" required value="${today()}" max="${today()}" /></label>
        <div class="payload-fields">${payloadFields(kinds[0])}</div>
        <label><span>${esc(t('note'))}</span><textarea name="note" rows="2"></textarea></label>
        <label><span>${esc(t('document'))}</span><input type="file" name="file" /></label>
        <div class="form-foot"><button type="submit">${esc(t('submit'))}</button></div>
        <div class="write-result" aria-live="polite"></div>
      </form>`;
  };

  box.addEventListener('change', (e) => {
    if (e.target.name === 'kind') box.querySelector('.payload-fields').innerHTML = payloadFields(e.target.value);
  });
  box.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const out = form.querySelector('.write-result');
    const button = form.querySelector('button[type=submit]');
    const data = new FormData(form);
    const kind = data.get('kind');
    const payload = readPayload(kind, data);
    button.disabled = true;
    out.innerHTML = `<p class="muted">${esc(t('saving'))}</p>`;
    try {
      const documents = [];
      const file = data.get('file');
      if (file && file.size) documents.push((await api.uploadDocument(file)).body.id);
      const event = { kind, occurred_on: data.get('occurred_on'), payload, note: data.get('note') || null, documents };
      const { body } = await api.recordEvent(code, event);
      const flags = body?.flags ?? [];
      out.innerHTML = `<p class="ok" data-saved="true">${esc(t('saved'))}</p>${
        flags.length ? `<ul class="flags">${flags.map((f) => `<li>${esc(typeof f === 'string' ? f : (getLang() === 'en' ? f.message : f.message_zh) ?? f.code ?? JSON.stringify(f))}</li>`).join('')}</ul>` : ''
      }`;
      onSaved(body);
    } catch (err) {
      out.innerHTML = refusalHtml(err);
    } finally {
      button.disabled = false;
    }
  });
  render();
  return { render };
}
