import { ApiError, api, session } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { languageToggle } from './frame.js';

/** Sign-in. `notice` explains why we are here again (e.g. the session expired). */
export function renderLogin(root: HTMLElement, onSignedIn: () => void, notice?: string, typedUsername = ''): void {
  const username = h('input', {
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'off',
    spellcheck: 'false',
    required: true,
    'data-testid': 'login-username',
  });
  username.value = typedUsername;
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'login-password',
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' }, notice ?? '');
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('signIn'));

  const submit = async (event: Event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    button.textContent = t('signingIn');
    try {
      session.save(await api.login(username.value.trim(), password.value));
      onSignedIn();
    } catch (e) {
      // The server's message is written for the user; status 0 means we never reached it.
      error.textContent = e instanceof ApiError && e.status && e.message ? e.message : t('serverUnreachable');
      button.disabled = false;
      button.textContent = t('signIn');
      password.select();
    }
  };

  const languageButton = languageToggle(() => renderLogin(root, onSignedIn, undefined, username.value));

  root.replaceChildren(
    h(
      'form',
      { class: 'card login', 'data-testid': 'login-form', onsubmit: submit },
      h('h1', {}, t('appTitle')),
      h('label', {}, t('username'), username),
      h('label', {}, t('password'), password),
      error,
      button,
      languageButton,
    ),
  );
  (username.value ? password : username).focus();
}
