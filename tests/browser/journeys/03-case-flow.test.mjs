// The case page (docs/ui.md): the koordinator visits a new SSP case on; the socialrådgiver
// takes it through "Møde holdt – registrér aftaler" (after a guard refusal) and "Følg op på
// aftalerne", seeing the state change and Forløb grow each time; after `samspil escalate
// --at 2030-01-01T00:00:00Z` the koordinator finds it in Eskaleringer under SSP Herning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, daysFromToday } from '../support/harness.mjs';
import {
  expectH1, expectAlert, expectStatus, expectFact, expectTitle, expectChrome, historyItems,
  control, h2, takeAction, eventually,
} from '../support/ui.mjs';

const BETJENT = 'forebyggelsesbetjent.mvj';
const KOORDINATOR = 'koordinator.mvj';
const SOCIAL = 'socialraadgiver.mvj';
const NAME = 'Testbarn Forløbsen';
const VISIT = 'Visitér til drøftelse';
const MEETING = 'Møde holdt – registrér aftaler';
const FOLLOW_UP = 'Følg op på aftalerne';
const BEKYMRING = 'Bekymringsniveau (1 bekymrende adfærd, 2 første kriminalitet, 3–4 gentagen eller voldelig kriminalitet)';

let env;
let caseId;
before(async () => {
  env = await startEnv();
  caseId = (await env.openSspCase(BETJENT, NAME, { summary: 'Fiktiv bekymring for skolefravær' })).id;
});
after(async () => { await env?.stop(); });

const casePath = () => `/sager/${encodeURIComponent(caseId)}`;

async function expectHistory(page, n, lastIncludes = []) {
  await eventually(async () => assert.equal(await historyItems(page).count(), n, `Forløb has ${n} entries`));
  const last = await historyItems(page).nth(n - 1).innerText();
  for (const s of lastIncludes) assert.ok(last.includes(s), `the last Forløb entry names ${JSON.stringify(s)}: ${JSON.stringify(last)}`);
}

test('the koordinator visits the case on to "Drøftelse"', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, KOORDINATOR);
    await env.gotoPath(page, casePath());
    await expectH1(page, NAME);
    // docs/ui.md names no title for the case page ("<page> – Samspil"); only the suffix is checked.
    await eventually(async () => assert.match(await page.title(), / – Samspil$/));
    await expectChrome(page, { coordinator: true });
    await expectFact(page, 'Tilstand', 'Modtaget');
    await expectFact(page, 'Forum', 'SSP Herning');
    await expectFact(page, 'Version', '1');
    for (const term of ['Frist', 'Fødselsdato', 'Åbnet af']) {
      await expectFact(page, term, /\S/);
    }
    await page.getByRole('note').filter({ hasText:
      'Oplysningerne er udvekslet efter retsplejelovens § 115. Oplysninger må ikke anvendes til efterforskning.' }).waitFor();
    for (const s of ['Resumé', 'Handlinger', 'Relaterede sager', 'Forløb', 'Arbejdsgang']) {
      await h2(page, s).waitFor();
    }
    await expectHistory(page, 1);
    // The workflow diagram marks the current state.
    const diagram = page.locator('main svg[role="img"]');
    await diagram.first().waitFor();
    assert.ok(await diagram.first().getAttribute('aria-label'), 'the diagram has an accessible name');
    assert.equal(await diagram.first().locator('[data-current="true"]').count(), 1, 'one current node');
    assert.match(await diagram.first().locator('[data-current="true"]').textContent(), /Modtaget/);
    await env.checkA11y(page, 'case page, Modtaget');

    // The form of an action is a region named by its label, with "Kommentar", "Udfør", "Annullér".
    await page.getByRole('button', { name: VISIT, exact: true }).click();
    const form = page.getByRole('region', { name: VISIT, exact: true });
    await form.waitFor();
    await form.getByRole('button', { name: 'Annullér', exact: true }).waitFor();
    await env.checkA11y(page, 'case page, action form open');
    await control(form, BEKYMRING).selectOption('2');
    await control(form, 'Visitationsnotat').fill('Fiktivt notat');
    await control(form, 'Kommentar').fill('Drøftes på næste møde');
    await form.getByRole('button', { name: 'Udfør', exact: true }).click();
    await expectStatus(page, 'Handlingen er udført.');
    await expectFact(page, 'Tilstand', 'Drøftelse');
    await expectFact(page, 'Version', '2');
    await expectHistory(page, 2, [VISIT, 'Drøftes på næste møde']);
    assert.match(await page.locator('main svg[role="img"] [data-current="true"]').first().textContent(), /Drøftelse/);
  });
});

test('the socialrådgiver is refused by a guard, then takes the case through two steps', async () => {
  const me = (await env.api('GET', '/api/v1/me', null, SOCIAL)).body;
  await env.journey(async (page) => {
    await env.loginAs(page, SOCIAL);
    // From Mine sager, by the subject's name. The demo data alone fills more than one page
    // (50), so the socialrådgiver narrows the list first, as a user with many cases would.
    await control(page, 'Forum').selectOption({ label: 'SSP Herning' });
    await control(page, 'Tilstand').selectOption({ label: 'Drøftelse' });
    await page.getByRole('table', { name: 'Sager' }).getByRole('link', { name: NAME, exact: true }).click();
    await page.waitForURL((u) => u.pathname === casePath());
    await expectH1(page, NAME);
    await expectFact(page, 'Tilstand', 'Drøftelse');

    // A meeting "held" tomorrow: the guard date_not_in_future refuses it.
    const fillMeeting = (held) => async (form) => {
      await control(form, 'Mødet blev holdt den').fill(held);
      await control(form, 'Aftaler: hvad skal ske, hvem gør det, og hvornår').fill('Fiktive aftaler om skolegang');
      await control(form, 'Ansvarlige for aftalerne (myndighed eller funktion)').fill('Skolen og familieafdelingen');
      await control(form, 'Frist for opfølgning på aftalerne').fill(daysFromToday(30));
    };
    await takeAction(page, MEETING, fillMeeting(daysFromToday(2)), 'For tidligt');
    const refusal = await expectAlert(page, 'Handlingen blev afvist:');
    assert.ok(refusal.length > 'Handlingen blev afvist:'.length + 3, `the reason is given: ${refusal}`);
    await env.checkA11y(page, 'case page with a guard refusal');
    await expectFact(page, 'Tilstand', 'Drøftelse');
    await expectFact(page, 'Version', '2');
    await expectHistory(page, 2);

    // Held yesterday, follow-up in a month: accepted.
    const form = page.getByRole('region', { name: MEETING, exact: true });
    if (await form.isVisible()) {
      await form.getByRole('button', { name: 'Annullér', exact: true }).click();
      await form.waitFor({ state: 'hidden' });
    }
    await takeAction(page, MEETING, fillMeeting(daysFromToday(-1)), 'Møde holdt med familien');
    await expectStatus(page, 'Handlingen er udført.');
    await expectFact(page, 'Tilstand', 'Indsats');
    await expectFact(page, 'Version', '3');
    await expectHistory(page, 3, [MEETING, 'Møde holdt med familien', me.display_name, me.agency.name]);

    await takeAction(page, FOLLOW_UP, async (f) => {
      await control(f, 'Status på aftalerne').fill('Fiktiv status: aftalerne holdes');
    }, 'Opfølgning startet');
    await expectStatus(page, 'Handlingen er udført.');
    await expectFact(page, 'Tilstand', 'Opfølgning');
    await expectFact(page, 'Version', '4');
    await expectHistory(page, 4, [FOLLOW_UP, 'Opfølgning startet', me.display_name]);
    // Oldest first: the opening is the first entry.
    assert.ok(!(await historyItems(page).first().innerText()).includes(FOLLOW_UP));
    await env.checkA11y(page, 'case page, Opfølgning');
    await env.screenshot(page, 'sag');
  });
});

test('after escalate --at 2030 the koordinator sees the case in Eskaleringer under SSP Herning', async () => {
  const historyLength = async () => (await env.api('GET',
    `/api/v1/cases/${encodeURIComponent(caseId)}/history`, null, KOORDINATOR)).body.items.length;
  const before = await historyLength();
  const r = env.runCli(['escalate', '--at', '2030-01-01T00:00:00Z']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\d+/);
  assert.equal(await historyLength(), before + 1, 'the scan wrote one history entry');
  await env.journey(async (page) => {
    await env.loginAs(page, KOORDINATOR);
    await page.getByRole('navigation', { name: 'Hovedmenu', exact: true })
      .getByRole('link', { name: 'Eskaleringer', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/eskaleringer');
    await expectH1(page, 'Eskaleringer');
    await expectTitle(page, 'Eskaleringer');
    // "N sager i alt" starts the line (the UI goes on with an explanation).
    await page.locator("main").getByText(/^\d+ sager i alt\b/).waitFor();
    const heading = h2(page, /^SSP Herning \(\d+\)$/);
    await heading.waitFor();
    await page.waitForLoadState('networkidle');
    await env.screenshot(page, 'eskaleringer', { fullPage: false });
    const table = page.locator('xpath=//main//h2[starts-with(normalize-space(.), "SSP Herning (")]/following::table[1]');
    const link = table.getByRole('link', { name: NAME, exact: true });
    await link.waitFor();
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(headers, ['Borger', 'Tilstand', 'Frist', 'Status']);
    const row = table.getByRole('row')
      .filter({ has: page.getByRole('link', { name: NAME, exact: true }) });
    assert.match(await row.innerText(), /Eskaleret/);
    assert.match(await row.innerText(), /\d\d\.\d\d\.\d{4}/, 'Frist as dd.mm.åååå');
    // The count in the heading is the number of rows.
    const n = Number((await heading.innerText()).match(/\((\d+)\)/)[1]);
    assert.equal(await table.locator('tbody tr').count(), n);
    await env.checkA11y(page);

    await link.click();
    await page.waitForURL((u) => u.pathname === casePath());
    await expectH1(page, NAME);
    await expectHistory(page, before + 1);
  });
});

test('a user who is no koordinator is told so on Eskaleringer', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, 'skole.mvj');
    await expectChrome(page, { coordinator: false });
    await env.gotoPath(page, '/eskaleringer');
    await expectH1(page, 'Eskaleringer');
    await page.getByText('Du er ikke koordinator i noget forum.', { exact: true }).waitFor();
    await env.checkA11y(page, '/eskaleringer, no koordinator');
  });
});

test('a stale version: the second browser gets the conflict alert and a refreshed page', async () => {
  const stale = (await env.openSspCase(BETJENT, 'Testbarn Samtidigsen')).id;
  await env.journey(async (first, { newPage }) => {
    const second = await newPage();
    for (const p of [first, second]) {
      await env.loginAs(p, KOORDINATOR);
      await env.gotoPath(p, `/sager/${encodeURIComponent(stale)}`);
      await expectH1(p, 'Testbarn Samtidigsen');
      await expectFact(p, 'Tilstand', 'Modtaget');
    }
    await takeAction(first, VISIT, (f) => control(f, BEKYMRING).selectOption('1'), 'Først');
    await expectStatus(first, 'Handlingen er udført.');
    await expectFact(first, 'Tilstand', 'Drøftelse');

    await takeAction(second, VISIT, (f) => control(f, BEKYMRING).selectOption('3'), 'Bagefter');
    await expectAlert(second, 'Sagen er ændret af en anden, siden du åbnede den. Siden er opdateret – kontrollér den nye tilstand, før du prøver igen.');
    await expectFact(second, 'Tilstand', 'Drøftelse');
    await expectFact(second, 'Version', '2');
    await expectHistory(second, 2, ['Først']);
    await env.checkA11y(second, 'case page after a conflict');
    const c = await env.api('GET', `/api/v1/cases/${encodeURIComponent(stale)}`, null, KOORDINATOR);
    assert.equal(c.body.version, 2, 'the stale action changed nothing');
  });
});
