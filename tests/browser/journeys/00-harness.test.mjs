// The harness itself: the server starts on its own port with the seeded data, the API
// answers, the security headers are on every HTML address, axe runs in the page under its
// real CSP, and a request to another origin is caught.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, securityHeaderProblems } from '../support/harness.mjs';

let env;
before(async () => { env = await startEnv(); });
after(async () => { await env?.stop(); });

test('the server is up and the demo logins work through the API', async () => {
  const health = await env.api('GET', '/healthz');
  assert.equal(health.status, 200);
  const me = await env.api('GET', '/api/v1/me', null, 'forebyggelsesbetjent.mvj');
  assert.equal(me.status, 200);
  assert.equal(me.body.username, 'forebyggelsesbetjent.mvj');
  assert.ok(me.body.memberships.some((m) => m.forum_id === 'ssp-herning'));
});

test('every UI address answers HTML with the security headers', async () => {
  for (const p of ['/', '/login', '/sager', '/opret', '/sager/case_findes_ikke', '/eskaleringer',
    '/overblik', '/overblik?forum=ssp-herning']) {
    const res = await fetch(env.url(p), { redirect: 'manual' });
    const headers = Object.fromEntries(res.headers);
    if (res.status >= 300 && res.status < 400) {
      // A redirect carries no page; where it leads is checked in turn.
      assert.ok(headers.location, `${p}: a redirect with a Location`);
      continue;
    }
    assert.equal(res.status, 200, `${p}: status`);
    assert.match(headers['content-type'] || '', /^text\/html/, `${p}: content type`);
    assert.deepEqual(securityHeaderProblems(headers), [], `${p}: security headers`);
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>\s*\S/i, `${p}: no inline script`);
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i, `${p}: nothing from another origin`);
  }
});

test('the guards catch a request to another origin and a missing header', async () => {
  const page = await env.newPage();
  try {
    await page.goto(env.url('/login'));
    await page.evaluate(() => fetch('http://example.invalid/x').catch(() => {}));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(page.samspil.problems().some((p) => p.includes('example.invalid')),
      page.samspil.problems().join('\n'));
  } finally {
    await page.samspil.context.close();
  }
  assert.ok(securityHeaderProblems({}).length >= 3);
  assert.ok(securityHeaderProblems({
    'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
  }).some((p) => p.includes('unsafe-inline')));
});

test('axe-core runs inside the page under its own CSP', async () => {
  await env.journey(async (page) => {
    await page.goto(env.url('/login'));
    await page.locator('main').waitFor({ state: 'attached' });
    const violations = await env.checkA11y(page);
    assert.ok(Array.isArray(violations));
  });
});

test('the CLI runs against the same database', () => {
  const r = env.runCli(['audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok \d+ entries/);
});

test('the scripts and the stylesheet come from the server, typed, with nosniff', async () => {
  await env.journey(async (page) => {
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await env.loginAs(page, 'koordinator.mvj');
    const assets = responses.filter((r) => ['script', 'stylesheet'].includes(r.request().resourceType()));
    assert.ok(assets.some((r) => r.request().resourceType() === 'script'), 'a script was loaded');
    for (const r of assets) {
      assert.equal(new URL(r.url()).origin, env.origin, `${r.url()}: same origin`);
      assert.equal(r.status(), 200, `${r.url()}: status`);
      const h = await r.allHeaders();
      assert.equal(h['x-content-type-options'], 'nosniff', `${r.url()}: nosniff`);
      const want = r.request().resourceType() === 'script' ? /^text\/javascript/ : /^text\/css/;
      assert.match(h['content-type'] || '', want, `${r.url()}: content type`);
    }
  });
});
