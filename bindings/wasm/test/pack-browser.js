// Part of pack-test.sh: serves a scratch project on 127.0.0.1 and checks its plain page (which loads
// attune-wasm from node_modules) scores in headless Chromium and requests nothing from elsewhere.
//   node pack-browser.js APP_DIR   (playwright-core on NODE_PATH)
'use strict';
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const app = path.resolve(process.argv[2]);
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };

(async () => {
  const server = http.createServer((req, res) => {
    const p = path.normalize(path.join(app, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!p.startsWith(app) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(p)] || 'application/octet-stream' });
    fs.createReadStream(p).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => document.getElementById('out').textContent !== 'loading', null, { timeout: 60000 });
    const text = await page.textContent('#out');
    assert(!text.startsWith('error'), text);
    const r = JSON.parse(text);
    // Hand values (see pack-test.sh): 94/18 and 84/18, both above the midpoint 4: fearful.
    assert(Math.abs(r.anxiety - 94 / 18) < 1e-12 && Math.abs(r.avoidance - 84 / 18) < 1e-12, text);
    assert.strictEqual(r.category, 'fearful');
    assert.deepStrictEqual(foreign, []);
    console.log('pack-test: chromium OK');
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
