#!/usr/bin/env node
// Browser test of the analysts' page served by `embargo serve` at `/`.
// usage: node page.test.js /path/to/embargo
// Starts the real server on an ephemeral port, drives Debian's headless Chromium
// with playwright-core, saves a screenshot to $EMB_ARTIFACT_DIR/page.png
// (default: the binary's directory) and prints "N passed, N failed".
// EMB_BROWSER_URL=http://127.0.0.1:PORT uses an already running server instead.
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

const bin = process.argv[2];
const CHROMIUM = process.env.EMB_CHROMIUM || '/usr/bin/chromium';
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail !== undefined ? `: ${detail}` : ''}`); }
}

function startServer() {
  return new Promise((resolve, reject) => {
    const srv = spawn(bin, ['serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { srv.kill('SIGKILL'); reject(new Error(`server did not announce its port in 15 s; stderr: ${err}`)); }, 15000);
    srv.stderr.setEncoding('utf8');
    srv.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[^\s]+?:\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve({ srv, base: m[1].replace(/\/$/, '') }); }
    });
    srv.on('error', (e) => { clearTimeout(timer); reject(e); });
    srv.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before listening; stderr: ${err}`)); });
  });
}

function stopServer(srv) {
  return new Promise((resolve) => {
    if (!srv || srv.exitCode !== null) return resolve();
    const t = setTimeout(() => srv.kill('SIGKILL'), 5000);
    srv.once('exit', () => { clearTimeout(t); resolve(); });
    srv.kill('SIGTERM');
  });
}

async function main() {
  if (!process.env.EMB_BROWSER_URL && (!bin || !fs.existsSync(bin))) {
    console.error('usage: node page.test.js /path/to/embargo');
    process.exit(2);
  }
  const artDir = process.env.EMB_ARTIFACT_DIR || (bin ? path.dirname(path.resolve(bin)) : '.');
  fs.mkdirSync(artDir, { recursive: true });
  let server = null, base = process.env.EMB_BROWSER_URL, browser = null;
  try {
    if (!base) { server = await startServer(); base = server.base; }
    console.log(`# server ${base}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      headless: true,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10000);
    const pageErrors = [], foreign = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      // HTTP error statuses (the deliberate 400 below) are logged as console errors: not script errors
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

    const resp = await page.goto(base + '/', { waitUntil: 'load' });
    check('GET / answers 200 with HTML', resp && resp.status() === 200 &&
      /text\/html/.test(resp.headers()['content-type'] || ''), resp && `${resp.status()} ${resp.headers()['content-type']}`);
    check('page title names embargo', /embargo/i.test(await page.title()), await page.title());
    const size = (await resp.body()).length;
    check('page is under 30 KB', size < 30 * 1024, `${size} bytes`);

    // header: list date from /catalog
    await page.waitForFunction(() => !/loading/i.test(document.getElementById('listinfo').textContent));
    const header = await page.textContent('#listinfo');
    check('header shows the list date from /catalog', /\d{4}-\d{2}-\d{2}/.test(header), header);

    // search by keyboard: type the name, press Enter
    await page.getByLabel('Name (required)').fill('Choe Chun Sik');
    await page.getByLabel('Name (required)').press('Enter');
    await page.waitForSelector('#results li.r');
    const first = page.locator('#results li.r').first();
    const firstText = await first.innerText();
    check('first result shows KPi.013', firstText.includes('KPi.013'), firstText);
    const score = await first.locator('.num').innerText();
    check('first result shows a score', /^(0|1)\.\d\d$/.test(score.trim()), score);
    const barW = await first.locator('.bar i').evaluate((e) => e.style.width);
    check('score bar drawn', /^\d+(\.\d+)?%$/.test(barW) && parseFloat(barW) > 0, barW);
    check('first result shows match yes/no', /MATCH|no match/.test(firstText), firstText);
    check('first result shows the matched name and explanation',
      /CHOE CHUN.SIK/i.test(firstText) && /why|name.match|exact/i.test(firstText), firstText);

    // open the full entry
    await first.click();
    await page.waitForSelector('#panel:not([hidden])');
    await page.waitForFunction(() => !/Loading/.test(document.getElementById('panel').textContent));
    const panel = await page.innerText('#panel');
    check('entry panel shows birth date 1954-10-12', panel.includes('1954-10-12'), panel.slice(0, 400));
    check('entry panel shows the reference', panel.includes('KPi.013'), panel.slice(0, 400));
    check('entry panel lists names with kinds', /Names/i.test(panel) && /primary/i.test(panel), panel.slice(0, 400));

    const shot = path.join(artDir, 'page.png');
    await page.screenshot({ path: shot, fullPage: true });
    check('screenshot saved', fs.existsSync(shot) && fs.statSync(shot).size > 1000, shot);
    console.log(`# screenshot ${shot}`);

    // keyboard opening of an entry (Enter on a focused result)
    await page.getByRole('button', { name: 'Close entry' }).click();
    check('entry panel closes', await page.isHidden('#panel'));
    await page.locator('#results li.r .cap').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel:not([hidden])');
    await page.waitForFunction(() => !/Loading/.test(document.getElementById('panel').textContent));
    check('a result opens with the keyboard', (await page.innerText('#panel')).includes('1954-10-12'));

    // empty state
    await page.getByLabel('Name (required)').fill('Qxzvy Wplmk Zzrtq');
    await page.getByLabel('Name (required)').press('Enter');
    await page.waitForSelector('#results .empty, #status.err');
    check('no-result state is explained', await page.isVisible('#results .empty'), await page.innerText('#status'));

    // error state: the server's own message is shown (schema the server rejects)
    await page.evaluate(() => {
      const s = document.getElementById('schema');
      const o = document.createElement('option'); o.value = 'Address'; o.textContent = 'Address'; s.appendChild(o); s.value = 'Address';
    });
    await page.getByLabel('Name (required)').fill('Choe Chun Sik');
    await page.getByRole('button', { name: 'Screen' }).click();
    await page.waitForSelector('#status.err');
    const err = await page.innerText('#status');
    check('server error message is shown', /Server error (400|422)/.test(err) && err.length > 20, err);

    check('no requests outside the server', foreign.length === 0, foreign.join(' '));
    check('no script errors', pageErrors.length === 0, pageErrors.join(' | '));
  } catch (e) {
    check('test ran to completion', false, e && e.stack || e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server && server.srv);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main();
