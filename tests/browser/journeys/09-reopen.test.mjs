// Reopening a closed case (docs/domain.md rule 6, docs/ui.md "Handlinger"): only the koordinator
// gets "Genåbn sagen" on a rejected SSP case; the reason is required, the case goes back to
// "Modtaget" and Forløb keeps the rejection and shows the reopening with its reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from '../support/harness.mjs';
import { expectH1, expectStatus, expectFact, historyItems, h2, takeAction, control, eventually } from '../support/ui.mjs';

const BETJENT = 'forebyggelsesbetjent.mvj';
const KOORDINATOR = 'koordinator.mvj';
const SOCIAL = 'socialraadgiver.mvj';
const NAME = 'Testbarn Genåbnesen';
const REASON = 'Ny underretning fra skolen (fiktiv)';

let env;
let caseId;
const casePath = () => `/sager/${encodeURIComponent(caseId)}`;

before(async () => {
  env = await startEnv();
  caseId = (await env.openSspCase(BETJENT, NAME)).id;
  const r = await env.api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/transitions`,
    { action: 'afvis', expected_version: 1, comment: '', data: { afvisningsgrund: 'Ikke en SSP-sag (fiktivt)' } },
    KOORDINATOR);
  assert.equal(r.status, 200, `afvis: ${r.status} ${JSON.stringify(r.body)}`);
});
after(async () => { await env?.stop(); });

test('a socialrådgiver has nothing to do on a rejected case', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, SOCIAL);
    await env.gotoPath(page, casePath());
    await expectH1(page, NAME);
    await expectFact(page, 'Tilstand', 'Afvist');
    await page.getByText('Du har ingen handlinger i denne tilstand.', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Genåbn sagen', exact: true }).count(), 0);
  });
});

test('the koordinator reopens the rejected case with a reason', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, KOORDINATOR);
    await env.gotoPath(page, casePath());
    await expectH1(page, NAME);
    await expectFact(page, 'Tilstand', 'Afvist');
    await takeAction(page, 'Genåbn sagen', async (region) => {
      await region.getByText(/går den tilbage til Modtaget/).waitFor();
      await control(region, 'Begrundelse for genåbning').fill(REASON);
    });
    await expectStatus(page, 'Handlingen er udført.');
    await expectFact(page, 'Tilstand', 'Modtaget');
    await h2(page, 'Forløb').waitFor();
    await eventually(async () => assert.equal(await historyItems(page).count(), 3));
    const last = await historyItems(page).nth(2).innerText();
    for (const s of ['Genåbnet', 'fra Afvist til Modtaget', REASON, 'Koordinator']) {
      assert.ok(last.includes(s), `the reopening entry names ${JSON.stringify(s)}: ${JSON.stringify(last)}`);
    }
    assert.ok((await historyItems(page).nth(1).innerText()).includes('Ikke en SSP-sag (fiktivt)'),
      'the rejection and its reason are kept');
    // Open again: the visitation is offered anew.
    await page.getByRole('button', { name: 'Visitér til drøftelse', exact: true }).waitFor();
    await env.checkA11y(page, 'case page after reopening');
  });
});
