// Who is logged in, shared by the pages: the user (/me), their fora and the workflows.
// A module of its own so a page can read it without importing the shell (app.js).
import { api, setCsrfToken } from './api.js';

export const session = { me: null, fora: [], workflows: new Map() };

export function isCoordinator() {
  return Boolean(session.me && session.me.memberships.some((m) => m.role === 'koordinator'));
}

export function forumName(id) {
  const forum = session.fora.find((f) => f.id === id);
  return forum ? forum.name : id;
}

export async function loadSession() {
  const me = await api('GET', '/me');
  setCsrfToken(me.csrf_token);
  const [fora, workflows] = await Promise.all([api('GET', '/fora'), api('GET', '/workflows')]);
  session.me = me;
  session.fora = fora.items;
  session.workflows = new Map(workflows.items.map((w) => [w.id, w]));
}

export function clearSession() {
  session.me = null;
  session.fora = [];
  session.workflows = new Map();
  setCsrfToken('');
}
