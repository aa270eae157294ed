// Sign-in for writes: the user pastes a token, kept in sessionStorage for this tab.
// The service has no "who am I" endpoint, so the control only says "signed in"
// (a demo token's name hints at its department).
import { getToken, setToken } from './api.js';
import { onLangChange, t } from './i18n.js';
import { esc } from './format.js';

const listeners = [];
export const signedIn = () => Boolean(getToken());
export const onAuthChange = (fn) => listeners.push(fn);

const hint = (token) => {
  const m = /^demo-(\w+)-token$/.exec(token);
  return m ? t(`role_${m[1]}`) : '';
};

export function createSignIn(root) {
  let editing = false;
  const render = () => {
    const token = getToken();
    root.dataset.signedIn = token ? 'true' : 'false';
    if (editing) {
      root.innerHTML = `<form class="signin-form"><input type="password" name="token" autocomplete="off" placeholder="${esc(t('token_placeholder'))}" aria-label="token" />
        <button type="submit">${esc(t('sign_in'))}</button><button type="button" data-act="cancel">×</button></form>`;
      root.querySelector('input').focus();
    } else if (token) {
      const h = hint(token);
      root.innerHTML = `<span class="signed-in">${esc(t('signed_in'))}${h ? ` · ${esc(h)}` : ''}</span>
        <button type="button" class="topbtn" data-act="signout">${esc(t('sign_out'))}</button>`;
    } else {
      root.innerHTML = `<button type="button" class="topbtn" data-act="signin">${esc(t('sign_in'))}</button>`;
    }
  };
  const changed = () => {
    render();
    for (const fn of listeners) fn(signedIn());
  };
  root.addEventListener('click', (e) => {
    const act = e.target.closest('button')?.dataset.act;
    if (act === 'signin') (editing = true), render();
    if (act === 'cancel') (editing = false), render();
    if (act === 'signout') setToken(''), changed();
  });
  root.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = new FormData(e.target).get('token').trim();
    editing = false;
    setToken(token);
    changed();
  });
  onLangChange(render);
  render();
}
