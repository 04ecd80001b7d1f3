import { api, ApiError, setCsrfToken } from '../api.js';
import { append, h } from '../dom.js';
import { message } from '../forms.js';
import { navigate } from '../router.js';
import { loadSession, session } from '../session.js';

export async function loginPage(container) {
  if (session.me) {
    navigate('/sager', { replaceHistory: true });
    return 'Log ind';
  }
  const username = h('input', { id: 'brugernavn', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'adgangskode', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const feedback = h('div');
  const button = h('button', { type: 'submit' }, 'Log ind');
  const form = h('form', { class: 'login' },
    h('div', { class: 'field' }, h('label', { for: 'brugernavn' }, 'Brugernavn'), username),
    h('div', { class: 'field' }, h('label', { for: 'adgangskode' }, 'Adgangskode'), password),
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    button.disabled = true;
    try {
      const answer = await api('POST', '/auth/login', { username: username.value.trim(), password: password.value });
      setCsrfToken(answer.csrf_token);
      await loadSession();
      navigate('/sager', { replaceHistory: true });
    } catch (e) {
      let text = e.message;
      if (e instanceof ApiError && e.status === 401) text = 'Forkert brugernavn eller adgangskode.';
      if (e instanceof ApiError && e.status === 429) text = 'For mange mislykkede forsøg. Vent et par minutter, og prøv igen.';
      feedback.append(message('error', text));
      password.value = '';
      password.focus();
    } finally {
      button.disabled = false;
    }
  });
  append(container, 
    h('section', { class: 'login-box' },
      h('h1', {}, 'Log ind på Samspil'),
      h('p', { class: 'lead' }, 'Fælles sagsforløb for SSP, PSP, KSP, konfliktråd og Ungdomskriminalitetsnævnet.'),
      feedback, form));
  username.focus();
  return 'Log ind';
}
