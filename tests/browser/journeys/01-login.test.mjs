// Log ind / Log ud (docs/ui.md "Log ind"): a wrong password, a login, the menu, logging out,
// the rate limit, and the whole form by keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from '../support/harness.mjs';
import { expectH1, expectAlert, expectStatus, expectChrome, expectTitle, control } from '../support/ui.mjs';

let env;
before(async () => { env = await startEnv(); });
after(async () => { await env?.stop(); });

test('a wrong password shows the alert; the right one logs in; Log ud shows the status', async () => {
  await env.journey(async (page) => {
    await env.gotoPath(page, '/');
    await page.waitForURL((u) => u.pathname === '/login');
    await expectH1(page, 'Log ind på Samspil');
    await expectTitle(page, 'Log ind');
    await env.checkA11y(page);
    await env.screenshot(page, 'login');

    await control(page, 'Brugernavn').fill('forebyggelsesbetjent.mvj');
    await control(page, 'Adgangskode').fill('forkert-kodeord');
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await expectAlert(page, 'Forkert brugernavn eller adgangskode.');
    assert.equal(new URL(page.url()).pathname, '/login');
    await env.checkA11y(page, '/login with the alert');

    await env.loginAs(page, 'forebyggelsesbetjent.mvj');
    await expectTitle(page, 'Mine sager');
    await expectChrome(page, { coordinator: false });
    const me = (await env.api('GET', '/api/v1/me', null, 'forebyggelsesbetjent.mvj')).body;
    const nav = page.getByRole('navigation', { name: 'Hovedmenu', exact: true });
    const banner = await page.locator('body').innerText();
    assert.ok(banner.includes(me.display_name), `the user's name ${me.display_name} is shown`);
    assert.ok(banner.includes(me.agency.name), `the user's agency ${me.agency.name} is shown`);
    assert.ok(await nav.count());

    await page.getByRole('button', { name: 'Log ud', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await expectStatus(page, 'Du er logget ud.');
    await expectH1(page, 'Log ind på Samspil');

    // The session is gone: a logged-in address leads back to the login page.
    await env.gotoPath(page, '/sager');
    await page.waitForURL((u) => u.pathname === '/login');
    await expectH1(page, 'Log ind på Samspil');
  });
});

test('after five failed logins the alert says to wait', async () => {
  await env.journey(async (page) => {
    await env.gotoPath(page, '/login');
    await expectH1(page, 'Log ind på Samspil');
    for (let i = 1; i <= 6; i += 1) {
      await control(page, 'Brugernavn').fill('skole.mvj');
      await control(page, 'Adgangskode').fill(`forkert-${i}`);
      await page.getByRole('button', { name: 'Log ind', exact: true }).click();
      const text = i <= 5 ? 'Forkert brugernavn eller adgangskode.'
        : 'For mange mislykkede forsøg. Vent et par minutter, og prøv igen.';
      await expectAlert(page, text);
      // The next attempt must show its own answer, not the one still on screen.
      if (i < 6) await page.waitForLoadState('networkidle');
    }
    await env.checkA11y(page, '/login rate-limited');
  });
});

test('the login form can be filled and submitted with the keyboard alone', async () => {
  await env.journey(async (page) => {
    await env.gotoPath(page, '/login');
    await expectH1(page, 'Log ind på Samspil');
    const username = control(page, 'Brugernavn');
    const focused = (loc) => loc.evaluate((el) => el === document.activeElement);
    for (let i = 0; i < 10 && !(await focused(username)); i += 1) await page.keyboard.press('Tab');
    assert.ok(await focused(username), 'Tab reaches the field "Brugernavn"');
    await page.keyboard.type('koordinator.mvj');
    await page.keyboard.press('Tab');
    assert.ok(await focused(control(page, 'Adgangskode')),
      'Tab goes on to "Adgangskode"');
    await page.keyboard.type('samspil-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/sager');
    await expectH1(page, 'Mine sager');
    await expectChrome(page, { coordinator: true });
  });
});
