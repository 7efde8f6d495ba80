import { ApiError, api, session } from '../api.js';
import { h } from '../dom.js';
import { t, toggleLang } from '../i18n.js';

export function renderLogin(root: HTMLElement, onSignedIn: () => void, notice?: string): void {
  const username = h('input', {
    name: 'username',
    autocomplete: 'username',
    'data-testid': 'login-username',
    required: true,
    autocapitalize: 'off',
  });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    'data-testid': 'login-password',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' }, notice ?? '');
  const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('signIn'));
  const form = h(
    'form',
    {
      class: 'card login',
      'data-testid': 'login-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        button.disabled = true;
        button.textContent = t('signingIn');
        try {
          const { accessToken, user } = await api.login(username.value.trim(), password.value);
          session.save(accessToken, user);
          onSignedIn();
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status ? e.message : t('serverUnreachable');
          button.disabled = false;
          button.textContent = t('signIn');
          password.select();
        }
      },
    },
    h('h1', {}, t('appTitle')),
    h('label', {}, t('username'), username),
    h('label', {}, t('password'), password),
    error,
    button,
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-testid': 'language-toggle',
        onclick: () => {
          toggleLang();
          renderLogin(root, onSignedIn);
        },
      },
      t('language'),
    ),
  );
  root.replaceChildren(form);
  username.focus();
}
