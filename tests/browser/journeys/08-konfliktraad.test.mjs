// Konfliktråd's mediation notes (docs/domain.md rule 4, docs/ui.md "Forløb"): the mediator reads
// them on the case page and is told, in the form, that what they write is confidential; the
// forebyggelsesbetjent who proposed the case sees that the steps were taken, but not what
// they recorded — neither in Forløb nor anywhere else on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, birthDateForAge, daysFromToday } from '../support/harness.mjs';
import { expectH1, expectStatus, historyItems, h2, takeAction, control, eventually } from '../support/ui.mjs';

const BETJENT = 'forebyggelsesbetjent.mvj';
const KOORDINATOR = 'koordinator.mvj';
const MAEGLER = 'maegler.mvj';
const FORUM = 'konfliktraad-mvj';
const NAME = 'Testung Mæglingsen';
const CONSENT_NOTE = 'Begge parter samtykker efter samtale (fiktivt notat)';
const MEETING_NOTE = 'Parterne talte om skaden på cyklen (fiktivt notat)';
const AGREEMENT = 'Gerningspersonen betaler 500 kr. til forurettede (fiktivt)';
const WITHHELD = 'Fortroligt mæglingsnotat: kommentar og oplysninger kan kun læses af mægler og koordinator.';
const FORM_NOTE = 'Fortroligt: kommentar og oplysninger i dette trin kan kun læses af mægler og koordinator.';

let env;
let caseId;
const casePath = () => `/sager/${encodeURIComponent(caseId)}`;

async function step(as, action, version, data, comment = '') {
  const r = await env.api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/transitions`,
    { action, expected_version: version, comment, data }, as);
  assert.equal(r.status, 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
}

before(async () => {
  env = await startEnv();
  const opened = await env.api('POST', '/api/v1/cases', {
    forum_id: FORUM,
    subject: { name: NAME, birth_date: birthDateForAge(16) },
    summary: 'Hærværk mod en cykel; tilstået (fiktivt)',
    data: { forhold: 'Hærværk (fiktivt)' },
  }, BETJENT);
  assert.equal(opened.status, 201, `opening: ${opened.status} ${JSON.stringify(opened.body)}`);
  caseId = opened.body.id;
  await step(KOORDINATOR, 'vurder_egnet', 1,
    { identificerbar_forurettet: true, vaesentlig_tilstaaelse: true, vurdering: 'Egnet til mægling' });
  await step(MAEGLER, 'registrer_samtykke', 2,
    { samtykke_offer: true, samtykke_gerningsperson: true, forurettet_under_18: true, samtykke_foraelder: true },
    CONSENT_NOTE);
  await step(KOORDINATOR, 'tildel_maegler', 3, { maegler: 'Kirsten Ravn Uldall' });
  await step(MAEGLER, 'registrer_moede', 4, { moede_holdt_dato: daysFromToday(-1) }, MEETING_NOTE);
});
after(async () => { await env?.stop(); });

function entry(page, label) {
  return historyItems(page).filter({ hasText: label });
}

test('the mediator reads the notes and records the agreement as a confidential step', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, MAEGLER);
    await env.gotoPath(page, casePath());
    await expectH1(page, NAME);
    await h2(page, 'Forløb').waitFor();
    const consent = entry(page, 'Registrér samtykker');
    await consent.getByText('Fortroligt', { exact: true }).waitFor();
    const consentText = await consent.innerText();
    assert.ok(consentText.includes(CONSENT_NOTE), `the consent note is shown: ${consentText}`);
    // Its fields by their labels, booleans in words.
    assert.match(consentText, /Forurettede samtykker\s+Ja/);
    assert.match(await entry(page, 'Mæglingsmøde holdt').innerText(), /Mødet blev holdt den\s+\d{2}\.\d{2}\.\d{4}/);
    // Screening is no mediation note: shown without the badge.
    const screening = entry(page, 'Vurdér sagen egnet');
    assert.ok((await screening.innerText()).includes('Egnet til mægling'));
    assert.equal(await screening.getByText('Fortroligt', { exact: true }).count(), 0);

    const form = await takeAction(page, 'Aftale indgået', async (region) => {
      await region.getByText(FORM_NOTE, { exact: true }).waitFor();
      await control(region, 'Aftalens indhold (indgår i straffesagens akter; mæglingen erstatter ikke straffesagen)').fill(AGREEMENT);
    });
    assert.ok(form);
    await expectStatus(page, 'Handlingen er udført.');
    await eventually(async () => assert.ok(
      (await entry(page, 'Aftale indgået').innerText()).includes(AGREEMENT), 'the agreement is in Forløb'));
    await env.checkA11y(page, 'case page, mediator');
    await env.screenshot(page, 'konfliktraad-maegler');
  });
});

test('the forebyggelsesbetjent sees that the steps were taken, not what they recorded', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, BETJENT);
    await env.gotoPath(page, casePath());
    await expectH1(page, NAME);
    await h2(page, 'Forløb').waitFor();
    for (const label of ['Registrér samtykker', 'Mæglingsmøde holdt', 'Aftale indgået']) {
      const e = entry(page, label);
      await e.getByText(WITHHELD, { exact: true }).waitFor();
      await e.getByText('Fortroligt', { exact: true }).waitFor();
      assert.match(await e.innerText(), /Mægler/, `${label}: who acted is shown`);
    }
    // Screening and the opening's own fields are for the whole forum.
    assert.ok((await entry(page, 'Vurdér sagen egnet').innerText()).includes('Egnet til mægling'));
    const body = await page.locator('body').innerText();
    for (const secret of [CONSENT_NOTE, MEETING_NOTE, AGREEMENT, 'Forurettede samtykker']) {
      assert.ok(!body.includes(secret), `the page does not show ${JSON.stringify(secret)}`);
    }
    await env.checkA11y(page, 'case page, forebyggelsesbetjent');
    await env.screenshot(page, 'konfliktraad-betjent');
  });
});
