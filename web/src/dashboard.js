// 看板 / Dashboard: safe-utilization rates against their targets (SVG bars, red when a
// target is missed), overdue filings, the enforcement watchlist, plan task status and
// surveys due. Every count of parcels clicks through to those parcels on the map.
import * as api from './api.js';
import { departmentName, getLang, onLangChange, t } from './i18n.js';
import { esc, formatNumber } from './format.js';

const pct = (x) => (x === null || x === undefined ? '—' : `${formatNumber(x * 100, 1)}%`);
const name = (o, key = 'name') => (getLang() === 'en' ? o?.[`${key}_en`] ?? o?.[`${key}_zh`] : o?.[`${key}_zh`] ?? o?.[`${key}_en`]) ?? '';
/** A parcel code from a list item of any of the endpoints (a code, or an object naming it). */
const codeOf = (x) => (typeof x === 'string' ? x : x?.parcel ?? x?.code ?? x?.properties?.code ?? null);
const codesOf = (list) => [...new Set((list ?? []).map(codeOf).filter(Boolean))];

/** The dashboard in `root`; onCodes(codes, label) shows those parcels on the map. */
export function createDashboard(root, { onCodes }) {
  let year = new Date().getFullYear() - 1; // the last full year
  let d = {};
  let errors = {};
  const groups = {}; // data-codes key → { codes, label }
  let seq = 0;

  const load = async () => {
    const token = ++seq;
    d = {};
    errors = {};
    render();
    const one = async (key, fn) => {
      try {
        const v = await fn();
        if (token === seq) d[key] = v;
      } catch (e) {
        if (token === seq) errors[key] = e.message;
      }
    };
    await Promise.all([
      one('rates', () => api.safeUtilization(year)),
      one('filings', () => api.overdueFilings()),
      one('watchlist', () => api.watchlist()),
      one('plan', () => api.planTasks()),
      one('surveys', () => api.surveysDue()),
    ]);
    if (token === seq) render();
  };

  /** A count that shows its parcels on the map when clicked (plain text when there are none). */
  const countButton = (key, codes, label, text = formatNumber(codes.length)) => {
    groups[key] = { codes, label };
    return codes.length
      ? `<button type="button" class="count" data-codes="${esc(key)}" title="${esc(t('show_parcels'))}">${esc(text)}</button>`
      : `<span class="count zero">${esc(text)}</span>`;
  };

  const card = (key, title, body) => {
    const err = errors[key];
    const content = err ? `<p class="error">${esc(t('load_failed', { m: err }))}</p>` : d[key] === undefined ? `<p class="muted">${esc(t('loading'))}</p>` : body(d[key]);
    return `<section class="card" data-card="${key}"><h3>${esc(title)}</h3>${content}</section>`;
  };

  const bar = (r) => {
    const W = 320;
    const H = 22;
    const rate = r.rate ?? 0;
    const target = r.definition?.target;
    const colour = r.target_met === false ? '#c01c28' : r.target_met ? '#2e8540' : '#9aa0a6';
    return `<svg class="rate-bar" viewBox="0 0 ${W} ${H + 12}" width="100%" role="img" aria-label="${esc(pct(r.rate))}" data-met="${esc(String(r.target_met))}">
      <rect x="0" y="0" width="${W}" height="${H}" rx="3" fill="#eef0f2"/>
      <rect class="rate-fill" x="0" y="0" width="${(W * Math.min(1, Math.max(0, rate))).toFixed(1)}" height="${H}" rx="3" fill="${colour}"/>
      ${target !== undefined ? `<line x1="${W * target}" x2="${W * target}" y1="-2" y2="${H + 2}" stroke="#24323f" stroke-width="2" stroke-dasharray="3 2"/>
        <text x="${Math.min(W - 2, W * target)}" y="${H + 11}" font-size="9" text-anchor="end" fill="#555">${esc(t('target'))} ${esc(pct(target))}</text>` : ''}
    </svg>`;
  };

  const count = countButton;

  const ratesView = (x) =>
    `<ul class="rates">${(x.rates ?? [])
      .map((r) => {
        const id = r.definition?.id ?? '';
        const label = name(r.definition);
        // Farmland rates weigh plots by area, not parcels by number: their figures are
        // hectares, and not a parcel filter.
        const plots = id === 'contaminated_farmland';
        const ha = (m2) => `${formatNumber((m2 ?? 0) / 10000, 2)} ${t('ha')}`;
        const figures = plots ? [ha(r.numerator), ha(r.denominator), ha((r.denominator ?? 0) - (r.numerator ?? 0))] : [formatNumber(r.numerator), formatNumber(r.denominator), undefined];
        const count = (key, codes, text, n) => (plots ? esc(n) : countButton(key, codes, text, n));
        return `<li data-rate="${esc(id)}" class="${r.target_met === false ? 'missed' : ''}">
          <div class="rate-head"><strong>${esc(label)}</strong> <span class="rate-value">${esc(pct(r.rate))}</span></div>
          ${bar(r)}
          <div class="small">${r.denominator ? '' : `<span class="muted">${esc(t('no_denominator'))}</span> · `}
            ${esc(getLang() === 'en' ? 'safe' : '安全利用')} ${count(`${id}:safe`, codesOf(r.safe), `${label} · ${getLang() === 'en' ? 'safe' : '安全利用'}`, figures[0])}
            / ${esc(getLang() === 'en' ? 'counted' : '统计')} ${count(`${id}:all`, codesOf([...(r.safe ?? []), ...(r.not_safe ?? [])]), label, figures[1])}
            · ${esc(getLang() === 'en' ? 'not safe' : '未安全利用')} ${count(`${id}:not`, codesOf(r.not_safe), `${label} · ${getLang() === 'en' ? 'not safe' : '未安全利用'}`, figures[2])}</div>
          <div class="muted small">${esc(r.definition?.target_note ?? '')}</div></li>`;
      })
      .join('')}</ul>
    ${x.contaminated_construction_land?.by_year?.length ? `<h4>${esc(t('contaminated_area'))}（${esc(t('ha'))}）</h4><div class="scroll-x"><table class="grid small"><tr>${x.contaminated_construction_land.by_year.map((y) => `<th>${esc(y.year)}</th>`).join('')}</tr>
      <tr>${x.contaminated_construction_land.by_year.map((y) => `<td class="num">${esc(formatNumber(y.contaminated_area_m2 / 10000, 1))}</td>`).join('')}</tr></table></div>` : ''}`;

  const listCard = (key, items, label) => {
    const codes = codesOf(items);
    return `<p class="big">${count(key, codes, label, formatNumber(items.length))}</p>
      ${codes.length ? `<p class="small muted">${codes.slice(0, 12).map(esc).join(', ')}${codes.length > 12 ? '…' : ''}</p>` : ''}`;
  };

  // The watchlist's cases, each with what was seen (construction, or a remote-sensing
  // patch by its number), the parcel (a click shows it on the map) and the rule it breaks.
  const watchView = (x) => {
    const cases = x.cases ?? [];
    const items = cases.map((c, i) => {
      const what = c.source === 'remote_sensing' ? `${t('watch_patch')} ${c.patch}` : t('watch_construction');
      const reasons = c.reasons ?? [];
      const parcel = c.parcel ? countButton(`watch:${i}`, [c.parcel], `${what} · ${c.parcel}`, c.parcel) : '';
      return `<li data-case="${esc(c.patch ?? c.parcel)}"><strong>${esc(what)}</strong> ${parcel}
        <div class="small">${esc(reasons.map((r) => (getLang() === 'en' ? r.message : r.message_zh)).join('；'))}</div>
        <div class="muted small">${esc(reasons.map((r) => r.clause).join('；'))}</div></li>`;
    });
    return `${listCard('watchlist', cases, t('watchlist'))}
      ${items.length ? `<details><summary>${esc(t('watch_cases'))}</summary><ul class="measures" data-testid="watch-cases">${items.join('')}</ul></details>` : ''}`;
  };

  const planView = (x) => {
    const measures = (x.tasks ?? []).flatMap((task) => task.measures.map((m) => ({ ...m, task })));
    const done = measures.filter((m) => m.overall === 'done').length;
    const atRisk = measures.filter((m) => m.at_risk);
    return `<p><span class="big" data-done="${done}">${esc(formatNumber(done))}</span> ${esc(t('measures_done'))} / ${esc(formatNumber(measures.length))}
        · <span class="big ${atRisk.length ? 'bad' : ''}" data-at-risk="${atRisk.length}">${esc(formatNumber(atRisk.length))}</span> ${esc(t('measures_at_risk'))}
        <span class="muted small">${esc(t('tasks_year', { n: x.tasks?.length ?? 0, y: x.year ?? '' }))}</span></p>
      <details><summary>${esc(t('measures_at_risk'))}</summary><ul class="measures">${atRisk
        .map((m) => `<li><strong>${esc(m.task.no)}. ${esc(m.task.title)}</strong> <span class="badge warn">${esc(m.at_risk_reason ?? '')}</span>
          <div class="small">${esc(m.text.length > 120 ? `${m.text.slice(0, 120)}…` : m.text)}</div>
          <div class="muted small">${esc(m.lead.map((l) => (l.department ? departmentName(l.department) : l.name)).join('、'))}</div></li>`)
        .join('')}</ul></details>`;
  };

  const render = () => {
    const years = [];
    for (let y = new Date().getFullYear(); y >= 2019; y--) years.push(y);
    root.innerHTML = `<div class="dash-head"><h2>${esc(t('dashboard'))}</h2>
        <label class="inline">${esc(t('year'))} <select name="year">${years.map((y) => `<option${y === year ? ' selected' : ''}>${y}</option>`).join('')}</select></label></div>
      <div class="cards">
        ${card('rates', t('safe_rates'), ratesView)}
        ${card('filings', t('overdue_filings'), (x) => listCard('filings', x.filings ?? [], t('overdue_filings')))}
        ${card('watchlist', t('watchlist'), watchView)}
        ${card('surveys', t('surveys_due'), (x) => listCard('surveys', x.parcels ?? [], t('surveys_due')))}
        ${card('plan', t('plan_tasks'), planView)}
      </div>`;
    root.dataset.loading = Object.keys(d).length + Object.keys(errors).length < 5 ? 'true' : 'false';
  };

  root.addEventListener('click', (e) => {
    const key = e.target.closest('[data-codes]')?.dataset.codes;
    if (key && groups[key]) onCodes(groups[key].codes, groups[key].label);
  });
  root.addEventListener('change', (e) => {
    if (e.target.name !== 'year') return;
    year = Number(e.target.value);
    load();
  });
  onLangChange(() => !root.hidden && render());

  return { open: load, setYear: (y) => ((year = y), load()) };
}
