// Opret henvisning (docs/ui.md): the forebyggelsesbetjent opens an SSP referral for a
// 15-year-old and lands on the case in "Modtaget"; the same for a 19-year-old is refused by
// the workflow's age guard, shown in the alert, and no case is created.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, birthDateForAge } from '../support/harness.mjs';
import {
  expectH1, expectAlert, expectStatus, expectFact, expectTitle, expectChrome, historyItems,
  h2, eventually,
  control,
} from '../support/ui.mjs';

const BETJENT = 'forebyggelsesbetjent.mvj';
const SSP_FIELDS_LEGEND = 'Oplysninger til SSP – børn og unge under 18 år';

let env;
before(async () => { env = await startEnv(); });
after(async () => { await env?.stop(); });

/** Fills Opret henvisning for SSP Herning; the page must be on /opret. */
async function fillSspReferral(page, { name, birthDate, summary }) {
  await control(page, 'Forum').selectOption({ label: 'SSP Herning' });
  await control(page, 'Borgerens navn').fill(name);
  await control(page, 'Fødselsdato').fill(birthDate);
  await control(page, 'Resumé').fill(summary);
  const fields = page.getByRole('group', { name: SSP_FIELDS_LEGEND, exact: true });
  await fields.waitFor();
  // The option reads as the definition labels it (option_labels), in Danish.
  await control(fields, 'Anledning til henvisningen')
    .selectOption({ label: 'Bekymrende adfærd' });
  await control(fields, 'Skole eller uddannelsessted').fill('Fiktiv Skole');
  await control(fields, 'Forældremyndighedsindehaverne er orienteret').check();
}

test('the forebyggelsesbetjent opens an SSP referral and lands on the case in "Modtaget"', async () => {
  const name = 'Testbarn Femtensen';
  const birthDate = birthDateForAge(15);
  await env.journey(async (page) => {
    await env.loginAs(page, BETJENT);
    await page.getByRole('navigation', { name: 'Hovedmenu', exact: true })
      .getByRole('link', { name: 'Opret henvisning', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/opret');
    await expectH1(page, 'Opret henvisning');
    await expectTitle(page, 'Opret henvisning');
    await expectChrome(page, { coordinator: false });

    // Only fora where one of my roles may open a case, SSP Herning among them.
    await eventually(async () => {
      const forumOptions = await control(page, 'Forum').locator('option').allInnerTexts();
      assert.ok(forumOptions.map((o) => o.trim()).includes('SSP Herning'),
        `Forum offers SSP Herning: ${forumOptions}`);
    });

    await fillSspReferral(page, { name, birthDate, summary: 'Fiktiv bekymring for skolefravær' });
    // The field types of docs/ui.md: enum → select, string → text input, boolean → checkbox,
    // and the birth date is a date input.
    assert.equal(await control(page, 'Fødselsdato').getAttribute('type'), 'date');
    const fields = page.getByRole('group', { name: SSP_FIELDS_LEGEND, exact: true });
    assert.equal(await fields.getByRole('combobox', { name: 'Anledning til henvisningen' }).count(), 1);
    assert.equal(await fields.getByRole('textbox', { name: 'Skole eller uddannelsessted' }).count(), 1);
    assert.equal(await fields.getByRole('checkbox',
      { name: 'Forældremyndighedsindehaverne er orienteret' }).count(), 1);
    await env.checkA11y(page);
    await env.screenshot(page, 'opret-henvisning');

    await page.getByRole('button', { name: 'Opret henvisning', exact: true }).click();
    await page.waitForURL((u) => /^\/sager\/[^/]+$/.test(u.pathname));
    await expectStatus(page, 'Henvisningen er oprettet.');
    await expectH1(page, name);
    await expectFact(page, 'Forum', 'SSP Herning');
    await expectFact(page, 'Tilstand', 'Modtaget');
    await expectFact(page, 'Version', '1');
    assert.equal(await historyItems(page).count(), 1, 'Forløb has the opening');

    // The server agrees.
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const c = await env.api('GET', `/api/v1/cases/${encodeURIComponent(id)}`, null, BETJENT);
    assert.equal(c.status, 200);
    assert.equal(c.body.state, 'modtaget');
    assert.equal(c.body.subject.birth_date, birthDate);
    assert.equal(c.body.data?.anledning ?? 'bekymrende_adfaerd', 'bekymrende_adfaerd');
    await env.checkA11y(page, 'the new case page');
  });
});

test('a 19-year-old is refused by the guard: the alert says so and no case is created', async () => {
  const name = 'Testperson Nittensen';
  await env.journey(async (page) => {
    await env.loginAs(page, BETJENT);
    await env.gotoPath(page, '/opret');
    await expectH1(page, 'Opret henvisning');
    await fillSspReferral(page, { name, birthDate: birthDateForAge(19), summary: 'Fiktiv' });
    await page.getByRole('button', { name: 'Opret henvisning', exact: true }).click();
    const text = await expectAlert(page, 'Henvisningen blev ikke oprettet:');
    assert.ok(text.length > 'Henvisningen blev ikke oprettet:'.length + 3,
      `the alert gives the reason: ${JSON.stringify(text)}`);
    assert.equal(new URL(page.url()).pathname, '/opret', 'still on Opret henvisning');
    // What was typed is kept for a correction.
    assert.equal(await control(page, 'Borgerens navn').inputValue(), name);
    await env.checkA11y(page, '/opret with the refusal');

    assert.deepEqual(await env.casesNamed(BETJENT, name), [], 'no case was created');
    // …and the list page agrees.
    await env.gotoPath(page, '/sager');
    await expectH1(page, 'Mine sager');
    await page.getByRole('table', { name: 'Sager' }).waitFor();
    assert.equal(await page.getByRole('link', { name, exact: true }).count(), 0);
  });
});

test('a required field left empty is not sent as a referral', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, BETJENT);
    await env.gotoPath(page, '/opret');
    await expectH1(page, 'Opret henvisning');
    await control(page, 'Forum').selectOption({ label: 'SSP Herning' });
    await page.getByRole('button', { name: 'Opret henvisning', exact: true }).click();
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).pathname, '/opret');
    assert.equal(await h2(page, 'Resumé').count(), 0, 'no case page');
  });
});
