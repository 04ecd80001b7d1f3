// Overblik (docs/ui.md): for SSP Herning, the three figures with their captions, each an
// SVG chart (role="img") whose aria-label states its figures, the table "Tal for forummet"
// — and no name, birth date or case text anywhere on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from '../support/harness.mjs';
import { expectH1, expectTitle, control, eventually } from '../support/ui.mjs';

const KOORDINATOR = 'koordinator.mvj';
const FIGURES = ['Sager pr. tilstand', 'Gennemsnitlig tid i tilstanden (dage)', 'Frister overholdt'];
let env;
before(async () => {
  env = await startEnv();
  await env.openSspCase('forebyggelsesbetjent.mvj', 'Testbarn Overbliksen',
    { summary: 'Fiktiv tekst der ikke må ses i overblikket' });
});
after(async () => { await env?.stop(); });

/** Every subject name, birth date and summary of SSP Herning's cases, from the API. */
async function personalData() {
  const out = new Set();
  let cursor = null;
  do {
    const r = await env.api('GET', `/api/v1/cases?forum_id=ssp-herning&limit=100${
      cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, null, KOORDINATOR);
    assert.equal(r.status, 200);
    for (const c of r.body.items) {
      out.add(c.subject.name);
      out.add(c.subject.birth_date);
      const [y, m, d] = c.subject.birth_date.split('-');
      out.add(`${d}.${m}.${y}`);
      if (c.summary) out.add(c.summary);
    }
    cursor = r.body.next_cursor;
  } while (cursor);
  return [...out];
}

test('Overblik for SSP Herning shows three figures and no personal data', async () => {
  const secrets = await personalData();
  assert.ok(secrets.length > 3, 'SSP Herning has cases');
  await env.journey(async (page) => {
    await env.loginAs(page, KOORDINATOR);
    await page.getByRole('navigation', { name: 'Hovedmenu', exact: true })
      .getByRole('link', { name: 'Overblik', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/overblik');
    await expectH1(page, 'Overblik');
    await expectTitle(page, 'Overblik');
    await control(page, 'Forum').selectOption({ label: 'SSP Herning' });
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('forum'), 'ssp-herning'));

    for (const caption of FIGURES) {
      const figure = page.getByRole('figure', { name: caption, exact: true });
      await figure.waitFor();
      const chart = figure.locator('svg[role="img"]');
      assert.equal(await chart.count(), 1, `${caption}: one SVG chart with role="img"`);
      const label = (await chart.getAttribute('aria-label')) || '';
      assert.match(label, /\d/, `${caption}: the aria-label states its figures: ${JSON.stringify(label)}`);
    }
    const table = page.getByRole('table', { name: 'Tal for forummet', exact: true });
    await table.waitFor();
    assert.ok((await table.getByRole('row').count()) > 1, 'the table has rows');

    // Aggregates only: no name, birth date or case text in the text, attributes or title.
    const everything = await page.evaluate(() => {
      const parts = [document.title, document.body.innerText];
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) parts.push(a.value);
        if (el instanceof SVGElement) parts.push(el.textContent || '');
      }
      return parts.join('\n');
    });
    const leaked = secrets.filter((s) => everything.includes(s));
    assert.deepEqual(leaked, [], 'no personal data on Overblik');
    await env.checkA11y(page, '/overblik?forum=ssp-herning');
    await env.screenshot(page, 'overblik');

    // The address alone selects the forum.
    await env.gotoPath(page, '/overblik?forum=ssp-herning');
    await expectH1(page, 'Overblik');
    await page.getByRole('figure', { name: FIGURES[0], exact: true }).waitFor();
    assert.equal(await control(page, 'Forum').inputValue(), 'ssp-herning');
  });
});
