// The layer panel (one switch per layer) and the legend saying what each colour means.
import { onLangChange, stageName, t } from './i18n.js';
import { esc } from './format.js';
import { COLORS, LAYER_GROUPS, SHARE_STOPS } from './mapstyle.js';
import { STAGES } from './vocab.js';

const SWATCH = {
  parcels: `<span class="swatch" style="background:${STAGES[7].color}"></span>`,
  extent: `<span class="swatch line dashed" style="border-color:${COLORS.extent}"></span>`,
  towns: `<span class="swatch line dashed" style="border-color:${COLORS.town}"></span>`,
  closed_sites: `<span class="swatch" style="background:${COLORS.closedSite}80;border:2px solid ${COLORS.closedSite}"></span>`,
  key_units: `<span class="swatch dot" style="background:${COLORS.keyUnit}"></span>`,
  sampling_points: `<span class="swatch dot" style="background:${COLORS.pointOver}"></span>`,
  farmland_plots: `<span class="swatch" style="background:${COLORS.farmland.safe_use}"></span>`,
  patches: `<span class="swatch line dashed" style="border-color:${COLORS.patch}"></span>`,
};

/** Renders the panel in `root`; onToggle(group, visible) when a switch changes. */
export function createLayerPanel(root, { onToggle }) {
  const visible = Object.fromEntries(Object.keys(LAYER_GROUPS).map((g) => [g, true]));

  const render = () => {
    const switches = Object.keys(LAYER_GROUPS)
      .map(
        (g) => `<label class="switch"><input type="checkbox" name="${g}" ${visible[g] ? 'checked' : ''}>
          ${SWATCH[g]}<span>${esc(t(`layer_${g}`))}</span></label>`,
      )
      .join('');
    const stages = STAGES.map(
      (s) => `<li data-stage="${s.id}"><span class="swatch" style="background:${s.color}"></span>${esc(stageName(s.id))}</li>`,
    ).join('');
    const shares = [
      [SHARE_STOPS[0][1], t('share_none'), 7],
      [SHARE_STOPS[1][1], t('share_some'), 10],
      [SHARE_STOPS[2][1], t('share_half'), 14],
    ]
      .map(([c, label, d]) => `<span class="cluster-sample"><span class="circle" style="background:${c};width:${d}px;height:${d}px"></span>${esc(label)}</span>`)
      .join('');
    root.innerHTML = `
      <details open class="box">
        <summary>${esc(t('layers'))}</summary>
        <div class="switches">${switches}</div>
      </details>
      <details open class="box legend">
        <summary>${esc(t('legend'))}</summary>
        <p class="legend-title">${esc(t('legend_stages'))}</p>
        <ul class="legend-stages">${stages}</ul>
        <p class="legend-title">${esc(t('legend_clusters'))}</p>
        <div class="cluster-samples">${shares}</div>
        <p class="legend-title">${esc(t('legend_points'))}</p>
        <div class="cluster-samples">
          <span class="cluster-sample"><span class="circle" style="background:${COLORS.pointOver}"></span>&gt; 1</span>
          <span class="cluster-sample"><span class="circle" style="background:${COLORS.pointUnder}"></span>≤ 1</span>
        </div>
      </details>`;
  };

  root.addEventListener('change', (e) => {
    const g = e.target.name;
    if (!(g in visible)) return;
    visible[g] = e.target.checked;
    onToggle(g, visible[g]);
  });
  onLangChange(render);
  render();
}
