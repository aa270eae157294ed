// 会审 / Review sessions: the list, a new session (agenda typed or taken from the list),
// and a presenting mode that steps through the agenda (buttons or ← →), flying to each
// parcel with its key facts and supply check, and records a decision for it — optionally
// with the matching lifecycle or land event, recorded in the same transaction (refused by
// the rules → no decision either).
import * as api from './api.js';
import { signedIn } from './auth.js';
import { eventFields, payloadFields, readPayload, refusalHtml } from './eventform.js';
import { enumName, getLang, onLangChange, riskName, stageName, t, townName, useName } from './i18n.js';
import { esc, formatArea, formatDate, formatDateTime } from './format.js';
import { STAGES } from './vocab.js';

const DECISIONS = ['approve', 'approve_with_conditions', 'defer', 'reject'];
/** The event a decision most often writes: an approval fixes the planning indicators for supply. */
const SUGGESTED_EVENT = { approve: 'indicators_fixed', approve_with_conditions: 'indicators_fixed', defer: 'survey_started', reject: 'suspicion_raised' };
const colon = () => (getLang() === 'en' ? ': ' : '：');
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const chip = (stage) => `<span class="chip" style="--c:${STAGES.find((s) => s.id === stage)?.color ?? '#888'}">${esc(stageName(stage))}</span>`;
const splitList = (text, sep = /[\s,，、;；]+/) => text.split(sep).map((x) => x.trim()).filter(Boolean);

/**
 * The review view in `root`. onPresent(feature) flies the map to an agenda item;
 * onShowParcel(code) opens a parcel's panel (its timeline) on the map.
 */
export function createReview(root, { listCodes, onPresent, onShowParcel = () => {} }) {
  let mode = 'list'; // list | new | present
  let sessions = null;
  let session = null; // GET /api/reviews/{id}
  let index = 0;
  let error = null;
  let result = ''; // the last write's outcome, shown under the decision form

  const loadList = async () => {
    mode = 'list';
    sessions = null;
    error = null;
    render();
    try {
      sessions = (await api.reviews()).sessions ?? [];
    } catch (e) {
      error = e.message;
    }
    render();
  };

  const present = async (id, at = 0, note = '') => {
    mode = 'present';
    error = null;
    result = note;
    try {
      session = await api.review(id);
      index = Math.min(at, Math.max(0, session.agenda.length - 1));
      root.dataset.session = session.id;
    } catch (e) {
      error = e.message;
    }
    render();
    show();
  };

  const show = () => {
    const item = session?.agenda[index];
    root.dataset.item = item?.parcel ?? '';
    if (item?.feature) onPresent(item.feature);
  };

  const step = (delta) => {
    if (mode !== 'present' || !session) return;
    const next = index + delta;
    if (next < 0 || next >= session.agenda.length) return;
    index = next;
    result = '';
    render();
    show();
  };

  const listView = () => {
    const rows = sessions === null
      ? `<p class="muted">${esc(error ? t('load_failed', { m: error }) : t('loading'))}</p>`
      : sessions.length
        ? `<ul class="sessions">${sessions
            .map(
              (x) => `<li data-id="${esc(x.id)}"><div><strong>${esc(x.title)}</strong></div>
                <div class="small muted">${esc(formatDate(x.held_on))} · ${esc(x.items ?? '')} ${esc(t('parcels'))}</div>
                <div class="form-foot"><button type="button" data-rv="present" data-id="${esc(x.id)}">${esc(t('present'))}</button>
                <a href="${esc(api.minutesUrl(x.id, 'html'))}" target="_blank" rel="noopener">${esc(t('minutes_html'))}</a>
                <a href="${esc(api.minutesUrl(x.id, 'csv'))}" download>${esc(t('minutes_csv'))}</a></div></li>`,
            )
            .join('')}</ul>`
        : `<p class="muted">${esc(t('no_reviews'))}</p>`;
    return `<header class="panel-head"><h2>${esc(t('reviews'))}</h2>
        <div class="panel-actions"><button type="button" data-rv="new" ${signedIn() ? '' : `disabled title="${esc(t('sign_in_to_write'))}"`}>${esc(t('new_review'))}</button></div></header>
      ${signedIn() ? '' : `<p class="muted small">${esc(t('sign_in_to_write'))}</p>`}${rows}`;
  };

  const newView = () => `<header class="panel-head"><h2>${esc(t('new_review'))}</h2>
      <div class="panel-actions"><button type="button" data-rv="back" aria-label="${esc(t('close'))}">×</button></div></header>
    <form class="write-form" name="review">
      <label><span>${esc(t('review_title'))}</span><input name="title" required /></label>
      <label><span>${esc(t('held_on'))}</span><input type="date" name="held_on" required value="${today()}" /></label>
      <label><span>${esc(t('participants'))}</span><input name="participants" /></label>
      <label><span>${esc(t('agenda'))}</span><textarea name="agenda" rows="4" required></textarea></label>
      <div class="form-foot"><button type="button" data-rv="from-list">${esc(t('agenda_from_list'))}</button>
        <button type="submit">${esc(t('create'))}</button></div>
      <div class="write-result" aria-live="polite">${result}</div>
    </form>`;

  const presentView = () => {
    if (!session) return `<p class="error">${esc(t('load_failed', { m: error ?? '' }))}</p><button type="button" data-rv="back">${esc(t('reviews'))}</button>`;
    const item = session.agenda[index];
    const p = item?.feature?.properties ?? {};
    const sc = item?.supply_check;
    const cls = { allowed: 'good', conditional: 'warn', blocked: 'bad' }[sc?.verdict] ?? '';
    const d = item?.decision;
    const facts = [
      [t('town'), townName(p.town)],
      [t('stage'), null],
      [t('risk'), riskName(p.risk)],
      [t('planned_use'), useName(item?.planned_use ?? p.planned_use)],
      [t('land_right'), enumName('land_right', p.land_right)],
      [t('area'), formatArea(p.area_m2)],
      [t('responsible_party'), p.responsible_party],
    ];
    return `<header class="panel-head"><div><div class="panel-code">${esc(session.title)} · ${esc(formatDate(session.held_on))}</div>
        <h2>${esc(item?.parcel ?? '')} ${esc(p.name ?? '')}</h2><div class="small muted" data-rv-pos>${esc(t('item_n', { i: index + 1, n: session.agenda.length }))}</div></div>
        <div class="panel-actions"><button type="button" data-rv="back" title="${esc(t('close'))}" aria-label="${esc(t('close'))}">×</button></div></header>
      <div class="present-nav"><button type="button" data-rv="prev" ${index === 0 ? 'disabled' : ''}>← ${esc(t('prev'))}</button>
        <button type="button" data-rv="next" ${index >= session.agenda.length - 1 ? 'disabled' : ''}>${esc(t('next'))} →</button></div>
      <table class="kv">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v === null ? chip(p.stage) : esc(v ?? '—')}</td></tr>`).join('')}</table>
      <section class="panel-section"><h3>${esc(t('supply_check'))}</h3>
        <p><span class="badge ${cls}" data-verdict="${esc(sc?.verdict ?? '')}">${esc(enumName('supply', sc?.verdict))}</span></p>
        ${sc?.reasons?.length ? `<ul class="reasons">${sc.reasons.map((x) => `<li><div>${esc(getLang() === 'en' ? x.message : x.message_zh)}</div><div class="muted small">${esc(t('clause'))}${colon()}${esc(x.clause)} · <code>${esc(x.rule)}</code></div></li>`).join('')}</ul>` : `<p class="muted">${esc(t('no_reasons'))}</p>`}
      </section>
      <section class="panel-section" data-decision="${esc(d?.decision ?? '')}"><h3>${esc(t('latest_decision'))}</h3>
        ${d ? `<p><strong>${esc(t(`dec_${d.decision}`))}</strong>${d.conditions ? `${colon()}${esc(d.conditions)}` : ''}</p><p class="muted small">${esc(d.decided_by ?? '')} · ${esc(formatDateTime(d.decided_at))}</p>` : `<p class="muted">${esc(t('no_decision'))}</p>`}
      </section>
      ${signedIn() ? `<form class="write-form" name="decision">
        <label><span>${esc(t('decision'))}</span><select name="decision">${DECISIONS.map((x) => `<option value="${x}">${esc(t(`dec_${x}`))}</option>`).join('')}</select></label>
        <label><span>${esc(t('conditions'))}</span><textarea name="conditions" rows="2"></textarea></label>
        <label class="check"><input type="checkbox" name="with_event" /> <span>${esc(t('decision_with_event'))}</span></label>
        <fieldset class="decision-event" hidden disabled><legend>${esc(t('decision_event'))}</legend>${eventFields(SUGGESTED_EVENT.approve)}</fieldset>
        <div class="form-foot"><button type="submit">${esc(t('record_decision'))}</button></div>
        <div class="write-result" aria-live="polite">${result}</div></form>` : `<p class="muted">${esc(t('sign_in_to_write'))}</p>`}
      <p class="form-foot"><a href="${esc(api.minutesUrl(session.id, 'html'))}" target="_blank" rel="noopener">${esc(t('minutes_html'))}</a>
        <a href="${esc(api.minutesUrl(session.id, 'csv'))}" download>${esc(t('minutes_csv'))}</a></p>`;
  };

  const render = () => {
    root.dataset.mode = mode;
    root.innerHTML = mode === 'new' ? newView() : mode === 'present' ? presentView() : listView();
  };

  root.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-rv]');
    if (!b) return;
    const act = b.dataset.rv;
    if (act === 'new') (mode = 'new'), (result = ''), render();
    if (act === 'back') loadList();
    if (act === 'present') present(b.dataset.id);
    if (act === 'prev') step(-1);
    if (act === 'next') step(1);
    if (act === 'from-list') root.querySelector('textarea[name=agenda]').value = listCodes().join('\n');
    if (act === 'timeline') onShowParcel(b.dataset.code);
  });
  root.addEventListener('change', (e) => {
    const form = e.target.closest('form[name=decision]');
    if (!form) return;
    const box = form.querySelector('.decision-event');
    if (e.target.name === 'with_event') box.hidden = box.disabled = !e.target.checked;
    if (e.target.name === 'decision' && !form.elements.with_event.checked) {
      form.elements.kind.value = SUGGESTED_EVENT[e.target.value];
      box.querySelector('.payload-fields').innerHTML = payloadFields(form.elements.kind.value);
    }
    if (e.target.name === 'kind') box.querySelector('.payload-fields').innerHTML = payloadFields(e.target.value);
  });
  root.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const data = new FormData(form);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      if (form.name === 'review') {
        const body = {
          title: data.get('title'),
          held_on: data.get('held_on'),
          participants: splitList(data.get('participants') ?? '', /[,，、;；\n]+/),
          agenda: splitList(data.get('agenda') ?? ''),
        };
        const { body: created } = await api.createReview(body);
        await present(created.id);
      } else {
        const item = session.agenda[index];
        const decision = { parcel: item.parcel, decision: data.get('decision'), conditions: data.get('conditions') || null };
        if (data.get('with_event')) {
          const kind = data.get('kind');
          decision.event = { kind, occurred_on: data.get('occurred_on'), payload: readPayload(kind, data), note: data.get('note') || null, documents: [] };
        }
        const { body } = await api.decide(session.id, decision);
        const withEvent = body?.event_id
          ? `<p class="small" data-event-id="${esc(body.event_id)}">${esc(t('decision_event_recorded', { kind: enumName('event', decision.event.kind), id: body.event_id }))}
              <button type="button" class="link" data-rv="timeline" data-code="${esc(item.parcel)}">${esc(t('show_timeline'))}</button></p>`
          : '';
        await present(session.id, index, `<p class="ok" data-saved="true">${esc(t('saved'))}</p>${withEvent}`);
      }
    } catch (err) {
      result = refusalHtml(err);
      const out = form.querySelector('.write-result');
      if (out) out.innerHTML = result;
      button.disabled = false;
    }
  });
  document.addEventListener('keydown', (e) => {
    if (root.hidden || mode !== 'present' || e.target.closest('input, select, textarea')) return;
    if (e.key === 'ArrowRight') step(1);
    if (e.key === 'ArrowLeft') step(-1);
  });
  onLangChange(render);

  return { open: () => (mode === 'present' ? render() : loadList()), render };
}
