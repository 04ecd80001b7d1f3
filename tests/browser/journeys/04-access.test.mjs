// Need to know (docs/ui.md, the case page): a user of another forum opening /sager/<id>
// sees "Sagen blev ikke fundet", exactly as for a case that does not exist, and the case is
// in none of their lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from '../support/harness.mjs';
import { expectH1, h2 } from '../support/ui.mjs';

const NAME = 'Testbarn Hemmeligsen';
let env;
let caseId;
before(async () => {
  env = await startEnv();
  caseId = (await env.openSspCase('forebyggelsesbetjent.mvj', NAME,
    { summary: 'Fiktiv og fortrolig bekymring' })).id;
});
after(async () => { await env?.stop(); });

async function expectNotFound(page, p) {
  await env.gotoPath(page, p);
  await expectH1(page, 'Sagen blev ikke fundet');
  await page.getByText('Sagen findes ikke, eller du har ikke adgang til den.', { exact: true }).waitFor();
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes(NAME), 'the name is not shown');
  assert.ok(!text.includes('Fiktiv og fortrolig'), 'the summary is not shown');
  assert.equal(await h2(page, 'Handlinger').count(), 0, 'no actions');
}

for (const user of ['psykiatri.mvj', 'koordinator.nord']) {
  test(`${user}, of other fora, cannot reach the SSP Herning case`, async () => {
    await env.journey(async (page) => {
      await env.loginAs(page, user);
      assert.equal(await page.getByRole('link', { name: NAME, exact: true }).count(), 0,
        'not in Mine sager');
      await expectNotFound(page, `/sager/${encodeURIComponent(caseId)}`);
      await env.checkA11y(page, '/sager/<id> not found');
      // The same page as for an id that does not exist: no existence leak.
      const denied = await page.locator('main').innerText();
      await expectNotFound(page, '/sager/case_00000000000000000000000000000000');
      assert.equal(await page.locator('main').innerText(), denied);
      // The server agrees.
      const r = await env.api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`, null, user);
      assert.equal(r.status, 404);
    });
  });
}

test('a member of the forum reaches the same case', async () => {
  await env.journey(async (page) => {
    await env.loginAs(page, 'skole.mvj');
    await env.gotoPath(page, `/sager/${encodeURIComponent(caseId)}`);
    await expectH1(page, NAME);
  });
});
