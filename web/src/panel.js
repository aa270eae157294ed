// The parcel panel: attributes, the lifecycle timeline, exceedances, filings and a
// supply check for a chosen use. Each section loads on its own, so one failure does
// not hide the rest.
import * as api from './api.js';
import { departmentName, enumName, getLang, onLangChange, riskName, stageName, t, townName, useName } from './i18n.js';
import { esc, formatArea, formatDate, formatDateTime, formatNumber } from './format.js';
import { STAGES, SUPPLY_USES } from './vocab.js';

const LOCATE_ICON = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 0v4M8 12v4M0 8h4M12 8h4" stroke="currentColor" stroke-width="1.6"/></svg>`;

// Punctuation follows the language: full-width in Chinese.
const colon = () => (getLang() === 'en' ? ': ' : '：');
const comma = () => (getLang() === 'en' ? ', ' : '，');

const chip = (stage) =>
  `<span class="chip" style="--c:${STAGES.find((s) => s.id === stage)?.color ?? '#888'}">${esc(stageName(stage))}</span>`;

export function createPanel(root, { onClose, onShow, onOpened = () => {}, onParcel = () => {} }) {
  // `main` is redrawn as sections load; `tools` (write forms) is kept across redraws.
  const main = document.createElement('div');
  const tools = document.createElement('div');
  tools.className = 'panel-tools';
  let s = null; // { code, use, data: {section: value}, errors: {section: message}, docs: {id: meta} }
  let seq = 0;
  let use = SUPPLY_USES[0]; // the supply check's use, kept from parcel to parcel

  const load = async (section, fn, token) => {
    try {
      const value = await fn();
      if (token !== seq) return;
      s.data[section] = value;
      delete s.errors[section];
      if (section === 'parcel') queueMicrotask(() => token === seq && onParcel(value));
    } catch (e) {
      if (token !== seq) return;
      s.errors[section] = e.status === 404 ? '—' : e.message;
    }
    render();
  };

  const loadDocNames = async (token) => {
    const { data, docs } = s; // this parcel's, even if another opens meanwhile
    const ids = new Set((data.history?.events ?? []).flatMap((e) => e.documents.map((d) => d.id)));
    for (const id of data.filings?.filings?.flatMap((f) => f.documents) ?? []) ids.add(id);
    await Promise.all(
      [...ids].map(async (id) => {
        docs[id] = await api.documentMeta(id).catch(() => null);
      }),
    );
    if (token === seq) render();
  };

  const open = (code, { keepScroll = false } = {}) => {
    const token = ++seq;
    s = { code, use, data: {}, errors: {}, docs: {} };
    root.hidden = false;
    root.dataset.code = code;
    if (!keepScroll) root.scrollTop = 0;
    render();
    if (!keepScroll || !root.contains(tools)) {
      root.replaceChildren(main, tools);
      tools.innerHTML = '';
      onOpened(code, tools);
    }
    load('parcel', () => api.parcel(code), token);
    Promise.all([
      load('history', () => api.history(code), token),
      load('filings', () => api.filings(code), token),
    ]).then(() => token === seq && loadDocNames(token));
    load('exceedances', () => api.exceedances(code), token);
    load('supply', () => api.supplyCheck(code, s.use), token);
    load('ledgers', () => api.ledgers(code), token);
  };

  const close = () => {
    seq++;
    s = null;
    root.hidden = true;
    delete root.dataset.code;
    root.innerHTML = '';
    onClose();
  };

  const section = (name, title, body) => {
    const err = s.errors[name];
    const loading = !(name in s.data) && !err;
    const content = err ? `<p class="error">${esc(t('load_failed', { m: err }))}</p>` : loading ? `<p class="muted">${esc(t('loading'))}</p>` : body();
    return `<section class="panel-section" data-section="${name}"${loading ? ' data-loading="true"' : ''}>
      <h3>${esc(title)}</h3>${content}</section>`;
  };

  const render = () => {
    if (!s) return;
    const p = s.data.parcel?.properties;
    main.innerHTML = `
      <header class="panel-head">
        <div>
          <div class="panel-code">${esc(s.code)}</div>
          <h2>${esc(p?.name ?? '')}</h2>
          ${p ? chip(p.stage) : ''}
        </div>
        <div class="panel-actions">
          <button type="button" data-act="show" title="${esc(t('show_on_map'))}" aria-label="${esc(t('show_on_map'))}" ${p ? '' : 'disabled'}>${LOCATE_ICON}</button>
          <button type="button" data-act="close" title="${esc(t('close'))}" aria-label="${esc(t('close'))}">×</button>
        </div>
      </header>
      ${section('parcel', t('attributes'), attributes)}
      ${section('history', t('timeline'), timeline)}
      ${section('exceedances', t('exceedances'), exceedanceView)}
      ${section('filings', t('filings'), filingView)}
      ${section('supply', t('supply_check'), supplyView)}
      ${section('ledgers', t('ledger_entries'), ledgerView)}`;
  };

  const attributes = () => {
    const p = s.data.parcel.properties;
    const rows = [
      [t('code'), p.code],
      [t('name'), p.name],
      [t('town'), townName(p.town)],
      [t('address'), p.address],
      [t('current_use'), useName(p.current_use)],
      [t('planned_use'), useName(p.planned_use)],
      [t('gb_class'), t('class_n', { n: p.gb36600_class })],
      [t('land_right'), enumName('land_right', p.land_right)],
      [t('right_holder'), p.right_holder],
      [t('responsible_party'), p.responsible_party],
      [t('risk'), riskName(p.risk)],
      [t('stage'), stageName(p.stage)],
      [t('area'), formatArea(p.area_m2)],
      [t('updated_at'), `${formatDateTime(p.updated_at)} · ${t('version')} ${p.version}`],
    ];
    return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v ?? '—')}</td></tr>`).join('')}</table>`;
  };

  const docLink = (id, href = `/api/documents/${id}`) => {
    const meta = s.docs[id];
    return `<a href="${esc(href)}" target="_blank" rel="noopener">${esc(meta?.filename ?? `${id.slice(0, 12)}…`)}</a>`;
  };

  const payload = (e) => {
    const p = e.payload ?? {};
    const out = [];
    const add = (key, value) => out.push(`${esc(t(`payload_${key}`))}${colon()}${value}`);
    if (p.reason) add('reason', esc(p.reason));
    if (p.outcome) add('outcome', esc(enumName('outcome', p.outcome)));
    if (p.plan) add('plan', esc(enumName('outcome', p.plan)));
    if (Array.isArray(p.exceedances) && p.exceedances.length) {
      add('exceeded', p.exceedances.map((x) => `${esc(x.name)} ${esc(formatNumber(x.value_mgkg, 1))} mg/kg(×${esc(formatNumber(x.ratio, 2))})`).join(comma()));
    }
    if (p.evaluator) add('evaluator', esc(p.evaluator));
    if (p.contractor) add('contractor', esc(p.contractor));
    if (p.quantity_m3) add('quantity', `${esc(formatNumber(p.quantity_m3))} m³`);
    if (p.destination) add('destination', esc(p.destination));
    if (p.deadline) add('deadline', esc(formatDate(p.deadline)));
    if (p.planned_on) add('planned_on', esc(formatDate(p.planned_on)));
    if (p.voids) add('voids', `#${esc(p.voids)}`);
    return out.length ? `<div class="ev-payload">${out.join('<br>')}</div>` : '';
  };

  const timeline = () => {
    const events = s.data.history.events ?? [];
    if (!events.length) return `<p class="muted">${esc(t('no_history'))}</p>`;
    return `<ol class="timeline">${events
      .map(
        (e) => `<li class="event${e.voided ? ' voided' : ''}" data-kind="${esc(e.kind)}">
          <span class="dot" style="background:${STAGES.find((x) => x.id === e.stage_after)?.color ?? '#888'}"></span>
          <div class="ev-head"><time datetime="${esc(e.occurred_on)}">${esc(formatDate(e.occurred_on))}</time>
            <strong>${esc(enumName('event', e.kind))}</strong></div>
          <div>${esc(t('stage_after'))} ${chip(e.stage_after)}${e.voided ? ` <span class="badge warn">${esc(t('voided'))}</span>` : ''}</div>
          ${payload(e)}
          ${e.note ? `<div class="ev-note">${esc(e.note)}</div>` : ''}
          ${e.documents.length ? `<div class="ev-docs">${esc(t('documents'))}${colon()}${e.documents.map((d) => docLink(d.id, d.href)).join(comma())}</div>` : ''}
          <div class="muted small">${esc(t('recorded_by', { user: e.recorded_by?.user ?? '—', dept: departmentName(e.recorded_by?.department), at: formatDateTime(e.recorded_at) }))}</div>
        </li>`,
      )
      .join('')}</ol>`;
  };

  const exceedanceView = () => {
    const x = s.data.exceedances;
    const verdictClass = { over_intervention: 'bad', over_screening: 'warn', below_screening: 'good' }[x.verdict] ?? '';
    const head = `<p><span class="badge ${verdictClass}">${esc(enumName('verdict', x.verdict))}</span>
      <span class="muted">${esc(t('screening_class', { n: x.class }))} · ${esc(t('results_n', { n: x.results ?? 0 }))}</span></p>`;
    if (!x.items?.length) return `${head}<p class="muted">${esc(t('no_exceedance'))}</p>`;
    const rows = x.items
      .map(
        (i) => `<tr class="${i.level === 'intervention' ? 'bad' : ''}">
          <td>${esc(getLang() === 'en' ? i.name_en ?? i.name : i.name)}${i.background_excused ? `<br><span class="muted small">${esc(t('background_excused'))}</span>` : ''}</td>
          <td class="num">${esc(formatNumber(i.value_mgkg, 2))}</td>
          <td class="num">${esc(formatNumber(i.limit_mgkg, 2))} <span class="muted small">${esc(enumName('level', i.level))}</span></td>
          <td class="num">${esc(formatNumber(i.ratio, 2))}</td>
          <td>${esc(i.point_id ?? '')}<br><span class="small muted">${esc(i.depth_top_m ?? '')}–${esc(i.depth_bottom_m ?? '')} m</span></td>
          <td class="nowrap">${esc(formatDate(i.sampled_on))}</td></tr>`,
      )
      .join('');
    return `${head}<div class="scroll-x"><table class="grid">
      <thead><tr><th>${esc(t('item'))}</th><th>${esc(t('value'))} mg/kg</th><th>${esc(t('limit'))}</th><th>${esc(t('ratio'))}</th>
      <th>${esc(t('point'))} / ${esc(t('depth'))}</th><th>${esc(t('sampled_on'))}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>
      <p><a href="${esc(api.exceedanceReportUrl(s.code))}" target="_blank" rel="noopener">${esc(t('printable_report'))}</a></p>`;
  };

  const ledgerView = () => {
    const { closed_sites: sites = [], reviews = [] } = s.data.ledgers ?? {};
    if (!sites.length && !reviews.length) return `<p class="muted">${esc(t('no_ledger_entries'))}</p>`;
    const siteItems = sites.map(
      (c) => `<li><a href="${esc(c.ledger)}" target="_blank" rel="noopener">${esc(c.name)}</a>
        <span class="small">${esc(c.enterprise)} · ${esc(t('closed_site_risk', { r: enumName('site_risk', c.risk_level) }))} · ${esc(t('ledger_count', { n: c.entries }))}</span></li>`,
    );
    const reviewItems = reviews.map(
      (r) => `<li><a href="${esc(r.minutes)}" target="_blank" rel="noopener">${esc(r.title)}</a>
        <span class="small">${esc(formatDate(r.held_on))}${r.decision ? ` · ${esc(t(`dec_${r.decision}`))}` : ''}</span></li>`,
    );
    return `<ul class="ledger-entries">${[...siteItems, ...reviewItems].join('')}</ul>`;
  };

  const filingView = () => {
    const list = s.data.filings.filings ?? [];
    if (!list.length) return `<p class="muted">${esc(t('no_filings'))}</p>`;
    return `<ul class="filings">${list
      .map(
        (f) => `<li class="${f.overdue ? 'overdue' : ''}">
          <div><strong>${esc(enumName('filing_kind', f.kind))}</strong>
            <span class="badge">${esc(enumName('filing_status', f.status))}</span>
            ${f.overdue ? `<span class="badge bad">${esc(t('overdue'))}</span>` : ''}</div>
          <div class="small">${esc(t('submitter'))}${colon()}${esc(f.submitter)} · ${esc(t('received_on'))}${colon()}${esc(formatDate(f.received_on))}</div>
          <div class="small${f.overdue ? ' error' : ''}">${esc(t('deadline'))}${colon()}${esc(formatDate(f.deadline))}${
            f.overdue_since ? ` · ${esc(t('overdue_since', { d: formatDate(f.overdue_since) }))}` : ''
          }</div>
          ${f.return_reason ? `<div class="small">${esc(f.return_reason)}</div>` : ''}
          ${f.documents.length ? `<div class="small">${esc(t('documents'))}${colon()}${f.documents.map((id) => docLink(id)).join(comma())}</div>` : ''}
        </li>`,
      )
      .join('')}</ul>`;
  };

  const supplyView = () => {
    const r = s.data.supply;
    const cls = { allowed: 'good', conditional: 'warn', blocked: 'bad' }[r.verdict] ?? '';
    const reasons = r.reasons?.length
      ? `<ul class="reasons">${r.reasons
          .map(
            (x) => `<li data-rule="${esc(x.rule)}"><div>${esc(getLang() === 'en' ? x.message : x.message_zh)}</div>
              <div class="muted small">${esc(t('clause'))}${colon()}${esc(x.clause)} · <code>${esc(x.rule)}</code></div></li>`,
          )
          .join('')}</ul>`
      : `<p class="muted">${esc(t('no_reasons'))}</p>`;
    return `<label class="inline">${esc(t('intended_use'))}
        <select name="supply-use">${SUPPLY_USES.map((u) => `<option value="${u}"${u === s.use ? ' selected' : ''}>${esc(useName(u))}</option>`).join('')}</select></label>
      <p class="verdict"><span class="badge ${cls}" data-verdict="${esc(r.verdict)}">${esc(enumName('supply', r.verdict))}</span></p>
      ${reasons}`;
  };

  root.addEventListener('click', (e) => {
    const act = e.target.closest('button')?.dataset.act;
    if (act === 'close') close();
    if (act === 'show' && s?.data.parcel) onShow(s.data.parcel);
  });
  root.addEventListener('change', (e) => {
    if (e.target.name !== 'supply-use' || !s) return;
    s.use = use = e.target.value;
    delete s.data.supply;
    render();
    load('supply', () => api.supplyCheck(s.code, s.use), seq);
  });
  onLangChange(render);

  return {
    open,
    close,
    current: () => s?.code ?? null,
    /** The loaded Feature of the open parcel (null while loading). */
    feature: () => s?.data.parcel ?? null,
    /** Loads the open parcel again (after a write), keeping the scroll position. */
    refresh: () => s && open(s.code, { keepScroll: true }),
  };
}
