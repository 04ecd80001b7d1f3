// Which page draws <main>, the menu above it and moving between pages. Addresses are real
// paths (docs/ui.md); the server answers each with index.html. The pages are registered by
// app.js, so this module imports none of them and a page can import it without a cycle.
import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { message } from './forms.js';
import { clearSession, isCoordinator, loadSession, session } from './session.js';

// { pattern, page, open }: a page function fills its container and returns its title;
// an open page needs no login.
const routes = [];

export function addRoute(pattern, page, { open = false } = {}) {
  routes.push({ pattern, page, open });
}

let flash = null; // a message to show on the next page drawn

export function setFlash(kind, text) {
  flash = { kind, text };
}

export function navigate(path, { replaceHistory = false } = {}) {
  if (replaceHistory) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render({ focus: true });
}

function menu() {
  const here = location.pathname;
  const link = (href, text) => h('li', {}, h('a', {
    href, 'data-link': true,
    'aria-current': (here === href || (href === '/sager' && here.startsWith('/sager/'))) ? 'page' : null,
  }, text));
  const me = session.me;
  return [
    h('a', { class: 'brand', href: '/sager', 'data-link': true }, 'Samspil'),
    h('nav', { 'aria-label': 'Hovedmenu' }, h('ul', {},
      link('/sager', 'Mine sager'),
      link('/opret', 'Opret henvisning'),
      isCoordinator() ? link('/eskaleringer', 'Eskaleringer') : null,
      link('/overblik', 'Overblik'))),
    h('div', { class: 'who' },
      h('span', {}, me.display_name, h('span', { class: 'agency' }, `, ${me.agency.name}`)),
      h('button', { type: 'button', class: 'secondary', onclick: logout }, 'Log ud')),
  ];
}

async function logout() {
  try {
    await api('POST', '/auth/logout');
  } catch {
    // the session may already be gone; either way it ends here
  }
  clearSession();
  setFlash('status', 'Du er logget ud.');
  navigate('/login');
}

let generation = 0; // which render is current; a slower, older one must not touch the page

// Draws the page for the current address. A page function fills <main> and returns its
// title; it may throw an ApiError 401, which leads to the login page.
export async function render({ focus = false } = {}) {
  const mine = ++generation;
  const current = () => mine === generation;
  const main = document.getElementById('main');
  const top = document.getElementById('top');
  const path = location.pathname;
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) {
    navigate('/sager', { replaceHistory: true });
    return;
  }
  if (!route.open && !session.me) {
    try {
      await loadSession();
    } catch (e) {
      if (!current()) return;
      if (e instanceof ApiError && e.status === 401) {
        navigate('/login', { replaceHistory: true });
        return;
      }
      replace(main, message('error', e.message));
      return;
    }
  }
  if (!current()) return;
  replace(top, ...(session.me && !route.open ? menu() : [h('span', { class: 'brand' }, 'Samspil')]));
  const pending = flash;
  flash = null;
  const container = h('div', { class: 'page' });
  replace(main, container);
  try {
    const title = await route.page(container, path.match(route.pattern));
    if (!current()) return;
    document.title = `${title} – Samspil`;
  } catch (e) {
    if (!current()) return;
    if (e instanceof ApiError && e.status === 401 && !route.open) {
      clearSession();
      setFlash('error', 'Du er blevet logget ud. Log ind igen.');
      navigate('/login', { replaceHistory: true });
      return;
    }
    replace(container, h('h1', {}, 'Der opstod en fejl'), message('error', e.message));
    document.title = 'Fejl – Samspil';
  }
  if (pending) container.prepend(message(pending.kind, pending.text));
  if (focus) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }
}

// Takes over the links and the back button, then draws the first page.
export function start() {
  // Links inside the app change the page without a reload.
  document.addEventListener('click', (event) => {
    const a = event.target.closest('a[data-link]');
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', () => render({ focus: true }));
  render();
}
