// The filter form: town, stage, planned use, risk and "has an overdue filing", combined
// into ONE CQL2 text that the parcel tiles and the parcel list both receive, so the map
// and the list agree.
import { groupName, riskName, stageName, t, townName, useName, onLangChange } from './i18n.js';
import { esc } from './format.js';
import { RISKS, STAGES, STAGE_GROUPS, TOWNS, USE_FILTERS } from './vocab.js';

export const FILTER_KEYS = ['town', 'stage', 'use', 'risk', 'overdue'];

const quote = (v) => `'${String(v).replaceAll("'", "''")}'`;

/** The CQL2 text of a filter state; '' when nothing is chosen. */
export function toCql({ town, stage, use, risk, overdue } = {}) {
  const parts = [];
  if (town) parts.push(`town = ${quote(town)}`);
  if (stage) {
    const group = STAGE_GROUPS.find((g) => g.id === stage);
    parts.push(group ? `stage IN (${group.stages.map(quote).join(', ')})` : `stage = ${quote(stage)}`);
  }
  if (use) parts.push(`planned_use LIKE ${quote(`${use}%`)}`);
  if (risk) parts.push(`risk = ${quote(risk)}`);
  // The service's queryable: an open filing past its deadline, as /api/filings?status=overdue.
  if (overdue) parts.push('overdue_filing = TRUE');
  return parts.join(' AND ');
}

function options(list, label, selected) {
  return list.map((id) => `<option value="${esc(id)}"${id === selected ? ' selected' : ''}>${esc(label(id))}</option>`).join('');
}

/**
 * Renders the form into `root` and calls onChange(state, cql) on every change.
 * Returns { state, set(partial) } for callers that change the filter themselves.
 */
export function createFilters(root, initial, onChange) {
  const state = Object.fromEntries(FILTER_KEYS.map((k) => [k, initial[k] || '']));

  const render = () => {
    const all = `<option value="">${esc(t('all'))}</option>`;
    root.innerHTML = `
      <label><span>${esc(t('town'))}</span>
        <select name="town">${all}${options(TOWNS.map((x) => x.id), townName, state.town)}</select></label>
      <label><span>${esc(t('stage'))}</span>
        <select name="stage">${all}
          <optgroup label="${esc(t('stage_groups'))}">${options(STAGE_GROUPS.map((g) => g.id), groupName, state.stage)}</optgroup>
          <optgroup label="${esc(t('stages'))}">${options(STAGES.map((s) => s.id), stageName, state.stage)}</optgroup>
        </select></label>
      <label><span>${esc(t('planned_use'))}</span>
        <select name="use">${all}${options(USE_FILTERS, useName, state.use)}</select></label>
      <label><span>${esc(t('risk'))}</span>
        <select name="risk">${all}${options(RISKS.map((r) => r.id), riskName, state.risk)}</select></label>
      <label class="check"><input type="checkbox" name="overdue" value="1"${state.overdue ? ' checked' : ''} />
        <span>${esc(t('overdue_filter'))}</span></label>
      <div class="filter-foot">
        <button type="button" class="link" data-act="clear">${esc(t('clear_filters'))}</button>
      </div>
      <details class="cql"><summary>${esc(t('cql_label'))}</summary><code data-cql></code></details>`;
    showCql();
  };

  const showCql = () => {
    root.querySelector('[data-cql]').textContent = toCql(state) || t('no_filter');
  };

  const changed = () => {
    showCql();
    onChange({ ...state }, toCql(state));
  };

  root.addEventListener('change', (e) => {
    const name = e.target.name;
    if (!FILTER_KEYS.includes(name)) return;
    state[name] = e.target.type === 'checkbox' ? (e.target.checked ? '1' : '') : e.target.value;
    changed();
  });
  root.addEventListener('click', (e) => {
    if (e.target.dataset.act !== 'clear') return;
    for (const k of FILTER_KEYS) state[k] = '';
    render();
    changed();
  });
  onLangChange(render);
  render();

  return {
    state,
    cql: () => toCql(state),
    set(partial) {
      Object.assign(state, partial);
      render();
      changed();
    },
  };
}
