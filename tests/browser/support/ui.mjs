// Small helpers that find the UI's elements by the roles and names of docs/ui.md.
import assert from 'node:assert/strict';

/** Retries `fn` until it stops throwing or `timeoutMs` passes; rethrows the last error. */
export async function eventually(fn, timeoutMs = 10_000, intervalMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

export const h1 = (page, name) =>
  page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });
export const h2 = (page, name) =>
  page.getByRole('heading', { level: 2, name, exact: typeof name === 'string' });

/** Waits for the page's one h1 in <main> to have this name. */
export async function expectH1(page, name) {
  await h1(page, name).waitFor();
  assert.equal(await page.locator('main h1').count(), 1, 'one <h1> in <main>');
}

/** Waits for an element with role="alert" containing `text` (a string: its start). */
export async function expectAlert(page, text) {
  const alert = page.getByRole('alert').filter({ hasText: text });
  try {
    await alert.first().waitFor();
  } catch (e) {
    const shown = await page.getByRole('alert').allInnerTexts().catch(() => []);
    throw new Error(`no alert with ${JSON.stringify(String(text))}; alerts: ${JSON.stringify(shown)}\n${e.message}`);
  }
  const got = (await alert.first().innerText()).trim();
  if (typeof text === 'string') {
    assert.ok(got.startsWith(text), `the alert starts with ${JSON.stringify(text)}: ${JSON.stringify(got)}`);
  }
  return got;
}

/** Waits for an element with role="status" containing `text`. */
export async function expectStatus(page, text) {
  const status = page.getByRole('status').filter({ hasText: text });
  try {
    await status.first().waitFor();
  } catch (e) {
    const shown = await page.getByRole('status').allInnerTexts().catch(() => []);
    throw new Error(`no status with ${JSON.stringify(String(text))}; statuses: ${JSON.stringify(shown)}\n${e.message}`);
  }
  return (await status.first().innerText()).trim();
}

/** The text of the <dd> after the <dt> named `term` in the case page's facts. */
export function factLocator(page, term) {
  return page.locator(
    `xpath=//main//dl/dt[normalize-space(.)="${term}"]/following-sibling::dd[1]`);
}
export async function fact(page, term) {
  return (await factLocator(page, term).innerText()).trim();
}
/** Waits until the fact `term` reads `value` (trimmed; a RegExp matches). */
export async function expectFact(page, term, value) {
  await eventually(async () => {
    const got = await fact(page, term);
    if (value instanceof RegExp) assert.match(got, value, `${term}`);
    else assert.equal(got, value, `${term}`);
  });
}

/** The items of the ordered list of the section headed "Forløb". */
export function historyItems(page) {
  return page.locator(
    'xpath=//main//h2[normalize-space(.)="Forløb"]/following::ol[1]/li');
}

/** The skip link, the main menu and the log-out button every logged-in page has. */
export async function expectChrome(page, { coordinator }) {
  await page.getByRole('link', { name: 'Gå til indhold', exact: true }).waitFor({ state: 'attached' });
  const nav = page.getByRole('navigation', { name: 'Hovedmenu', exact: true });
  await nav.waitFor();
  for (const name of ['Mine sager', 'Opret henvisning', 'Overblik']) {
    assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 1, `menu link ${name}`);
  }
  assert.equal(await nav.getByRole('link', { name: 'Eskaleringer', exact: true }).count(),
    coordinator ? 1 : 0, `menu link Eskaleringer ${coordinator ? 'shown' : 'hidden'}`);
  assert.equal(await page.getByRole('button', { name: 'Log ud', exact: true }).count(), 1,
    'a button "Log ud"');
  return nav;
}

/**
 * Presses the action button `label` on the case page, fills the form region with `fill`
 * (a function given the region), writes `comment` and presses "Udfør".
 */
export async function takeAction(page, label, fill, comment) {
  const handlinger = page.locator(
    'xpath=//main//h2[normalize-space(.)="Handlinger"]/ancestor::section[1]');
  const scope = (await handlinger.count()) ? handlinger : page.locator('main');
  await scope.getByRole('button', { name: label, exact: true }).click();
  const form = page.getByRole('region', { name: label, exact: true });
  await form.waitFor();
  if (fill) await fill(form);
  if (comment !== undefined) await control(form, 'Kommentar').fill(comment);
  await form.getByRole('button', { name: 'Udfør', exact: true }).click();
  return form;
}

/** Waits for document.title to be "<page> – Samspil". */
export async function expectTitle(page, pageName) {
  await eventually(async () => assert.equal(await page.title(), `${pageName} – Samspil`));
}

/**
 * The form control whose accessible name is exactly `name` (a text input, textarea, date
 * input, select or checkbox). By role and accessible name, so a label's aria-hidden
 * "required" marker is not part of the name; a password field (no ARIA role) by its label.
 */
export function control(scope, name) {
  const o = { name, exact: true };
  return scope.getByRole('textbox', o)
    .or(scope.getByRole('combobox', o))
    .or(scope.getByRole('checkbox', o))
    .or(scope.getByRole('listbox', o))
    .or(scope.getByRole('spinbutton', o))
    .or(scope.getByLabel(name, { exact: true }));
}
