// The parcel list beside the map: OGC API Features items with the map's CQL2 filter,
// 50 a page, paged by the answer's next/prev links (keyset cursors).
import { linkQuery, parcelItems } from './api.js';
import { onLangChange, stageName, t, townName } from './i18n.js';
import { esc, formatNumber } from './format.js';
import { STAGES } from './vocab.js';

const stageColor = (id) => STAGES.find((s) => s.id === id)?.color ?? '#888';

/**
 * A list in `root`. onPick(feature) when a row is chosen; onFitPage(features) for
 * "zoom to page". Returns { load(cql), highlight(code) }.
 */
export function createList(root, { onPick, onFitPage }) {
  let cql = '';
  let body = null; // the current page's answer
  let offset = 0; // index of the page's first row in the whole result
  let error = null;
  let selected = null;
  let controller = null;

  const render = () => {
    const head = root.querySelector('.list-head');
    const items = root.querySelector('.list-items');
    const nav = root.querySelector('.list-nav');
    if (error) {
      head.textContent = t('load_failed', { m: error });
      items.innerHTML = '';
      nav.hidden = true;
      return;
    }
    if (!body) {
      head.textContent = t('loading');
      return;
    }
    const n = body.numberReturned ?? body.features.length;
    const matched = body.numberMatched;
    root.dataset.matched = matched ?? '';
    root.dataset.returned = n;
    head.innerHTML = `<strong>${esc(matched === undefined ? t('matched_many') : t('matched', { n: formatNumber(matched) }))}</strong>
      ${n ? `<span class="muted">${esc(t('page_of', { a: offset + 1, b: offset + n }))}</span>` : ''}`;
    items.innerHTML = n
      ? body.features
          .map((f) => {
            const p = f.properties;
            return `<li data-code="${esc(p.code)}" tabindex="0"${p.code === selected ? ' class="selected"' : ''}>
              <span class="swatch" style="background:${stageColor(p.stage)}"></span>
              <span class="li-main"><span class="li-code">${esc(p.code)}</span> ${esc(p.name ?? '')}</span>
              <span class="li-sub">${esc(townName(p.town))} · ${esc(stageName(p.stage))}</span>
            </li>`;
          })
          .join('')
      : `<li class="empty">${esc(t('empty_list'))}</li>`;
    nav.hidden = false;
    nav.querySelector('[data-act=prev]').disabled = !linkQuery(body, 'prev');
    nav.querySelector('[data-act=next]').disabled = !linkQuery(body, 'next');
    nav.querySelector('[data-act=fit]').disabled = n === 0;
  };

  const fetchPage = async (page, newOffset) => {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    error = null;
    root.dataset.loading = 'true';
    try {
      const next = await parcelItems(cql, page, { signal });
      body = next;
      offset = newOffset;
    } catch (e) {
      if (e.name === 'AbortError') return;
      error = e.message;
    }
    delete root.dataset.loading;
    render();
  };

  root.innerHTML = `
    <div class="list-head" aria-live="polite"></div>
    <ol class="list-items"></ol>
    <div class="list-nav" hidden>
      <button type="button" data-act="prev" data-i18n="prev"></button>
      <button type="button" data-act="fit" data-i18n="fit_results"></button>
      <button type="button" data-act="next" data-i18n="next"></button>
    </div>`;

  root.addEventListener('click', (e) => {
    const act = e.target.closest('button')?.dataset.act;
    if (act === 'next' || act === 'prev') {
      const n = body.features.length;
      fetchPage(linkQuery(body, act), act === 'next' ? offset + n : Math.max(0, offset - 50));
      return;
    }
    if (act === 'fit') return onFitPage(body.features);
    const li = e.target.closest('li[data-code]');
    if (li) onPick(body.features.find((f) => f.properties.code === li.dataset.code));
  });
  root.addEventListener('keydown', (e) => {
    const li = e.key === 'Enter' && e.target.closest('li[data-code]');
    if (li) onPick(body.features.find((f) => f.properties.code === li.dataset.code));
  });
  onLangChange(render);

  return {
    load(nextCql) {
      cql = nextCql;
      body = null;
      render();
      return fetchPage(null, 0);
    },
    /** Loads the first page again (after a write), keeping the current rows until it arrives. */
    reload: () => fetchPage(null, 0),
    /** The codes on the current page. */
    codes: () => body?.features.map((f) => f.properties.code) ?? [],
    /** The features on the current page. */
    features: () => body?.features ?? [],
    highlight(code) {
      selected = code;
      for (const li of root.querySelectorAll('li[data-code]')) li.classList.toggle('selected', li.dataset.code === code);
    },
  };
}
