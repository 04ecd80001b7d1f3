// The browser-test harness: a seeded database in a temp dir, `samspil serve` on an
// ephemeral loopback port, headless Debian Chromium driven by playwright-core, and the
// checks every journey gets for free (nothing loaded from another origin, the security
// headers on every HTML response, no uncaught page error, no CSP violation).
//
//   const env = await startEnv();          // once per test file (before)
//   await env.journey(t, async (page) => { await env.loginAs(page, 'skole.mvj'); ... });
//   await env.stop();                      // after
//
// Environment: SAMSPIL_BIN (set by ctest; default <repo>/build/web/samspil),
// SAMSPIL_SCREENSHOTS=1 to also write docs/screenshots/NAME.png, SAMSPIL_CHROMIUM
// (default /usr/bin/chromium), SAMSPIL_BROWSER_DEBUG=1 to echo the server's log.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { control } from './ui.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

export const PASSWORD = 'samspil-demo';

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch {
    throw new Error(
      'playwright-core is not installed: run `npm ci --no-audit --no-fund` in tests/browser ' +
        '(scripts/test does it)');
  }
}

export const samspilBin = path.resolve(
  process.env.SAMSPIL_BIN || path.join(repoRoot, 'build', 'web', 'samspil'));
// build/web/samspil -> build/
const buildDir = path.resolve(path.dirname(samspilBin), '..');
export const screenshotDir = path.join(buildDir, 'browser-screenshots');
const docsScreenshotDir = path.join(repoRoot, 'docs', 'screenshots');

// ---------------------------------------------------------------------------- dates
const pad = (n) => String(n).padStart(2, '0');
/** YYYY-MM-DD of a Date, in UTC (the server's calendar). */
export function isoDate(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
/** Today plus `days` (may be negative), as YYYY-MM-DD. */
export function daysFromToday(days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}
/** A birth date that makes the person `years` old today (and not close to a birthday). */
export function birthDateForAge(years) {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 60);
  return isoDate(d);
}

// ------------------------------------------------------------------- the server
function run(args, { input } = {}) {
  const r = spawnSync(samspilBin, args, { encoding: 'utf8', input, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function waitForListening(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      reject(new Error(`samspil serve did not log its address within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      log += text;
      if (process.env.SAMSPIL_BROWSER_DEBUG) process.stderr.write(text);
      const m = log.match(/samspil listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      if (m && Number(m[2]) > 0) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`samspil serve exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
}

// ------------------------------------------------------------- security headers
/** Problems with the security headers of one HTML response ([] when all is well). */
export function securityHeaderProblems(headers) {
  const problems = [];
  const csp = headers['content-security-policy'];
  if (!csp) {
    problems.push('no Content-Security-Policy');
  } else {
    const directives = new Map();
    for (const part of csp.split(';')) {
      const [name, ...values] = part.trim().split(/\s+/);
      if (name) directives.set(name.toLowerCase(), values);
    }
    const script = directives.get('script-src') ?? directives.get('default-src');
    if (!script) problems.push(`CSP has neither script-src nor default-src: ${csp}`);
    else {
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
        if (script.includes(bad)) problems.push(`CSP script source allows ${bad}: ${csp}`);
      }
    }
    if (!directives.has('default-src')) problems.push(`CSP has no default-src: ${csp}`);
    const fa = directives.get('frame-ancestors');
    if (!fa || fa.join(' ') !== "'none'") problems.push(`CSP lacks frame-ancestors 'none': ${csp}`);
    for (const [name, values] of directives) {
      for (const v of values) {
        if (/^(https?:)?\/\/|^[a-z0-9.-]+\.[a-z]{2,}/i.test(v)) {
          problems.push(`CSP ${name} names another origin (${v})`);
        }
      }
    }
  }
  if ((headers['x-content-type-options'] || '').toLowerCase() !== 'nosniff') {
    problems.push(`X-Content-Type-Options is ${JSON.stringify(headers['x-content-type-options'])}, not nosniff`);
  }
  if ((headers['referrer-policy'] || '').toLowerCase() !== 'no-referrer') {
    problems.push(`Referrer-Policy is ${JSON.stringify(headers['referrer-policy'])}, not no-referrer`);
  }
  return problems;
}

// --------------------------------------------------------------------- the env
export async function startEnv({ seed = true } = {}) {
  if (!existsSync(samspilBin)) {
    throw new Error(`samspil binary not found at ${samspilBin} (build it, or set SAMSPIL_BIN)`);
  }
  const { chromium } = loadPlaywright();
  const tmp = mkdtempSync(path.join(tmpdir(), 'samspil-browser-'));
  const db = `sqlite:${path.join(tmp, 'demo.db')}`;
  let child;
  let browser;
  try {
    if (seed) {
      const r = run(['seed-demo', '--db', db]);
      if (r.status !== 0) throw new Error(`seed-demo failed (${r.status}): ${r.stderr}`);
    }
    child = spawn(samspilBin, ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0',
      '--scan-interval', '86400'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const baseURL = await waitForListening(child, 30_000);
    const executablePath = process.env.SAMSPIL_CHROMIUM || '/usr/bin/chromium';
    // (Date inputs render as mm/dd/yyyy: Debian's chromium ships only the en-US locale
    // without chromium-l10n. The value the tests fill is YYYY-MM-DD either way.)
    const args = [];
    // Chromium's sandbox needs user namespaces, which root in a container does not get.
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
    browser = await chromium.launch({ executablePath, headless: true, args });
    return new Env({ tmp, db, child, baseURL, browser });
  } catch (e) {
    if (browser) await browser.close().catch(() => {});
    if (child) child.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

class Env {
  constructor({ tmp, db, child, baseURL, browser }) {
    Object.assign(this, { tmp, db, child, baseURL, browser });
    this.origin = new URL(baseURL).origin;
    this.axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    this.tokens = new Map();
  }

  /** Stops the browser and the server (SIGTERM, waiting for a clean exit), removes the temp dir. */
  async stop() {
    await this.browser.close().catch(() => {});
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000));
      if ((await Promise.race([exited, timeout])) === 'timeout') this.child.kill('SIGKILL');
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }

  url(p) {
    return new URL(p, this.baseURL).toString();
  }

  /** Runs the samspil CLI against the test database (`--db` is appended). */
  runCli(args, opts) {
    return run([...args, '--db', this.db], opts);
  }

  // ---- pages, with the guards every journey gets
  /**
   * A new browser context and page with the guards attached: any request to another origin
   * is aborted and recorded, every HTML document response has its security headers
   * checked, uncaught page errors and CSP violations are recorded. `page.samspil.problems()`
   * lists what went wrong; journey() asserts it is empty.
   */
  async newPage(contextOptions = {}) {
    const context = await this.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'da-DK',
      timezoneId: 'Europe/Copenhagen',
      ...contextOptions,
    });
    const offsite = [];
    const headerProblems = [];
    const pageErrors = [];
    const documents = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      let origin;
      try { origin = new URL(u).origin; } catch { origin = 'invalid'; }
      if (origin !== this.origin) {
        offsite.push(u);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('response', async (response) => {
      const req = response.request();
      if (req.resourceType() !== 'document') return;
      if (new URL(response.url()).origin !== this.origin) return;
      const headers = await response.allHeaders().catch(() => response.headers());
      const type = headers['content-type'] || '';
      documents.push({ url: response.url(), status: response.status(), type });
      if (!type.startsWith('text/html')) return;
      for (const p of securityHeaderProblems(headers)) {
        headerProblems.push(`${new URL(response.url()).pathname}: ${p}`);
      }
    });
    page.on('pageerror', (err) => pageErrors.push(`uncaught error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error' || !/Content Security Policy/i.test(msg.text())) return;
      // axe-core adds a <style> element of its own while it runs; the page's style-src
      // rightly refuses it. Only that refusal, and only during an axe run, is not the UI's.
      if (page.samspil.axeRunning && /style-src/.test(msg.text())) return;
      pageErrors.push(`CSP violation: ${msg.text()}`);
    });
    page.samspil = {
      context,
      axeRunning: false,
      documents,
      problems() {
        const out = [];
        for (const u of offsite) out.push(`requested another origin: ${u}`);
        out.push(...headerProblems, ...pageErrors);
        return out;
      },
    };
    return page;
  }

  /**
   * Runs `fn(page)` on a fresh guarded page, then fails if a guard tripped, and closes the
   * context. Extra pages made inside with newPage() are checked too when passed in `pages`.
   */
  async journey(fn) {
    const page = await this.newPage();
    const extra = [];
    try {
      await fn(page, {
        newPage: async (opts) => {
          const p = await this.newPage(opts);
          extra.push(p);
          return p;
        },
      });
      for (const p of [page, ...extra]) {
        const problems = p.samspil.problems();
        assert.deepEqual(problems, [], `the page guards tripped:\n  ${problems.join('\n  ')}`);
      }
    } finally {
      for (const p of [page, ...extra]) await p.samspil.context.close().catch(() => {});
    }
  }

  // ---- UI helpers (names from docs/ui.md)
  async gotoPath(page, p) {
    return page.goto(this.url(p));
  }

  /** Logs in through the login form and waits for Mine sager. */
  async loginAs(page, username, password = PASSWORD) {
    await this.gotoPath(page, '/login');
    await control(page, 'Brugernavn').fill(username);
    await control(page, 'Adgangskode').fill(password);
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/sager');
    await page.getByRole('heading', { level: 1, name: 'Mine sager', exact: true }).waitFor();
    // Let Mine sager finish loading its list, as a person would before clicking on.
    await page.waitForLoadState('networkidle');
  }

  /**
   * Runs axe-core in the page and fails on any serious or critical violation, listing each
   * with its rule, impact and the offending elements.
   *
   * The page's CSP forbids inline script, so page.addScriptTag({content}) would be blocked.
   * page.evaluate() runs the source through the DevTools protocol (Runtime.evaluate), which
   * CSP does not apply to, so the page under test keeps its real, unrelaxed policy (no
   * bypassCSP context).
   */
  async checkA11y(page, label = '') {
    const has = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!has) await page.evaluate(this.axeSource);
    if (page.samspil) page.samspil.axeRunning = true;
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join('; ')}`),
      }));
    }).finally(async () => {
      // Let the console events of the run arrive before the window closes.
      await new Promise((r) => setTimeout(r, 300));
      if (page.samspil) page.samspil.axeRunning = false;
    });
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const where = label || new URL(page.url()).pathname;
    const text = bad
      .map((v) => `[${v.impact}] ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).join('\n      ')}`)
      .join('\n  ');
    assert.equal(bad.length, 0, `axe found serious/critical violations on ${where}:\n  ${text}`);
    return violations;
  }

  /** Writes build/browser-screenshots/NAME.png, and docs/screenshots/NAME.png with SAMSPIL_SCREENSHOTS=1. */
  async screenshot(page, name, { fullPage = true } = {}) {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    const options = { fullPage, animations: 'disabled', caret: 'hide' };
    // The UI moves focus to the h1 when a page renders; its focus ring is not what a picture
    // of the page is for. (Only the focus moves; the next step finds its elements by name.)
    await page.evaluate(() => document.activeElement?.blur?.());
    await page.screenshot({ path: file, ...options });
    if (process.env.SAMSPIL_SCREENSHOTS === '1') {
      mkdirSync(docsScreenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(docsScreenshotDir, `${name}.png`), ...options });
    }
    return file;
  }

  // ---- the REST API from Node, for setting up and checking state without the UI
  async token(username) {
    if (!this.tokens.has(username)) {
      const r = await this.api('POST', '/api/v1/auth/login', { username, password: PASSWORD }, null);
      assert.equal(r.status, 200, `API login of ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      this.tokens.set(username, r.body.token);
    }
    return this.tokens.get(username);
  }

  /** A JSON request; `as` is a username (logged in once per env) or null for none. */
  async api(method, p, body, as) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined && body !== null) headers['Content-Type'] = 'application/json';
    if (as) headers.Authorization = `Bearer ${await this.token(as)}`;
    const res = await fetch(this.url(p), {
      method,
      headers,
      body: body === undefined || body === null ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    return { status: res.status, body: json, headers: res.headers };
  }

  /** Opens an SSP case in SSP Herning through the API; returns the case. */
  async openSspCase(as, name, { birthDate = birthDateForAge(14), summary = 'Fiktiv bekymring' } = {}) {
    const r = await this.api('POST', '/api/v1/cases', {
      forum_id: 'ssp-herning',
      subject: { name, birth_date: birthDate },
      summary,
      data: { anledning: 'bekymrende_adfaerd' },
    }, as);
    assert.equal(r.status, 201, `opening a case: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** All cases `as` can see whose subject has this name (follows next_cursor). */
  async casesNamed(as, name) {
    const found = [];
    let cursor = null;
    for (let i = 0; i < 100; i += 1) {
      const q = `/api/v1/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await this.api('GET', q, null, as);
      assert.equal(r.status, 200, `listing cases: ${r.status} ${JSON.stringify(r.body)}`);
      found.push(...r.body.items.filter((c) => c.subject?.name === name));
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    return found;
  }
}
