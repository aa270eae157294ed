// The search box: code, name, address or firm through /api/parcels?q=, with suggestions;
// Enter takes the first hit.
import { searchParcels } from './api.js';
import { stageName, t, townName } from './i18n.js';
import { esc } from './format.js';

export function createSearch(form, { onPick }) {
  const input = form.querySelector('input');
  const list = form.querySelector('.suggestions');
  let hits = [];
  let controller = null;
  let timer = null;

  const close = () => {
    list.hidden = true;
    list.innerHTML = '';
  };

  const show = () => {
    list.hidden = false;
    list.innerHTML = hits.length
      ? hits
          .map(
            (f, i) => `<li data-i="${i}" role="option">
              <span class="li-code">${esc(f.properties.code)}</span> ${esc(f.properties.name ?? '')}
              <span class="li-sub">${esc(townName(f.properties.town))} · ${esc(stageName(f.properties.stage))} · ${esc(f.properties.address ?? '')}</span>
            </li>`,
          )
          .join('')
      : `<li class="empty">${esc(t('search_none'))}</li>`;
  };

  const query = async (q) => {
    controller?.abort();
    controller = new AbortController();
    try {
      const body = await searchParcels(q, { signal: controller.signal });
      hits = body.features;
      return hits;
    } catch (e) {
      if (e.name !== 'AbortError') hits = [];
      return null;
    }
  };

  const pick = (f) => {
    close();
    input.value = f.properties.code;
    onPick(f);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return close();
    timer = setTimeout(async () => {
      if ((await query(q)) !== null) show();
    }, 250);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return;
    const found = await query(q);
    if (found?.length) pick(found[0]);
    else if (found) show();
  });
  list.addEventListener('mousedown', (e) => {
    const li = e.target.closest('li[data-i]');
    if (li) pick(hits[Number(li.dataset.i)]);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}
