// Readable on a tablet (768 × 1024, portrait): every page fits the width without sideways
// scrolling of the page itself (wide tables and diagrams scroll inside their own box),
// the menu stays reachable, and axe still finds nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv } from '../support/harness.mjs';
import { expectH1 } from '../support/ui.mjs';

let env;
let someCase;
before(async () => {
  env = await startEnv();
  someCase = (await env.openSspCase('forebyggelsesbetjent.mvj', 'Testbarn Tabletsen')).id;
});
after(async () => { await env?.stop(); });

test('every page fits a tablet in portrait and passes axe there', async () => {
  await env.journey(async (_page, { newPage }) => {
    const page = await newPage({ viewport: { width: 768, height: 1024 }, hasTouch: true });
    await env.loginAs(page, 'koordinator.mvj');
    const pages = [
      ['/sager', 'Mine sager'],
      ['/opret', 'Opret henvisning'],
      [`/sager/${encodeURIComponent(someCase)}`, 'Testbarn Tabletsen'],
      ['/eskaleringer', 'Eskaleringer'],
      ['/overblik?forum=ssp-herning', 'Overblik'],
    ];
    for (const [path, h1] of pages) {
      await env.gotoPath(page, path);
      await expectH1(page, h1);
      await page.waitForLoadState('networkidle');
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(scrollWidth <= innerWidth, `${path}: the page is ${scrollWidth}px wide on a ${innerWidth}px screen`);
      const menu = page.getByRole('navigation', { name: 'Hovedmenu', exact: true });
      assert.ok(await menu.getByRole('link', { name: 'Mine sager', exact: true }).isVisible(), `${path}: menu`);
      await env.checkA11y(page, `${path} on a tablet`);
    }
  });
});
