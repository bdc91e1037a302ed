// End-to-end: the browser demo (examples/web) in headless Debian Chromium. Answers the ECR-R with the
// FAKE text pack, checks the shown result equals the C++ CLI's (`attune score --json`) for the same
// answers, times scoring one person in the page, and saves a screenshot.
//   ATTUNE_CLI=build/attune [SCREENSHOT=out.png] node tests/web/e2e.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '../..');
const cli = process.env.ATTUNE_CLI;
const screenshot = process.env.SCREENSHOT || path.join(require('os').tmpdir(), 'attune-web-demo.png');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

// A static server for the repository, local only; the page must request nothing from elsewhere.
function serve() {
  const server = http.createServer((req, res) => {
    const p = path.normalize(path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!p.startsWith(root) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(p)] || 'application/octet-stream' });
    fs.createReadStream(p).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

(async () => {
  if (!cli) throw new Error('set ATTUNE_CLI to the built attune program');
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/examples/web/index.html`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    assert(/nothing is sent anywhere/.test(await page.textContent('#privacy')));

    await page.setInputFiles('#textpack', path.join(root, 'examples/web/fake-text-pack.ecr-r.json'));
    await page.waitForSelector('#questionnaire:not([style*="none"])');

    // A varied pattern; q17 is left unanswered (missing, never 0).
    const answers = {};
    for (let q = 1; q <= 36; ++q) answers[`q${q}`] = q === 17 ? null : ((q * 5) % 7) + 1;
    for (const [id, v] of Object.entries(answers)) if (v !== null) await page.check(`#${id}-${v}`);
    await page.click('#score');
    await page.waitForSelector('#results[style*="block"]');

    const shown = await page.evaluate(() => {
      const v = (id) => document.getElementById(id).dataset.value;
      return { anxiety: v('anxiety-raw'), avoidance: v('avoidance-raw'), secure: v('dim-secure'), anxious: v('dim-anxious'),
        avoidant: v('dim-avoidant'), fearful: v('dim-fearful'), category: v('category'), confidence: v('confidence'),
        point: !!document.getElementById('point'), plan: document.getElementById('plan').textContent,
        planData: JSON.parse(document.getElementById('plan').dataset.plan || 'null'),
        steps: [...document.querySelectorAll('#plan .plan-step')].map((li) => li.textContent) };
    });
    const cpp = JSON.parse(execFileSync(cli, ['score', '-i', 'ecr-r', '--json', '-'], { input: JSON.stringify(answers) }));
    const close = (a, b) => Math.abs(Number(a) - b) < 1e-12;
    assert(close(shown.anxiety, cpp.scales.find((s) => s.id === 'anxiety').raw), 'anxiety');
    assert(close(shown.avoidance, cpp.scales.find((s) => s.id === 'avoidance').raw), 'avoidance');
    for (const k of ['secure', 'anxious', 'avoidant', 'fearful']) assert(close(shown[k], cpp.profile.dimensions[k]), k);
    assert.strictEqual(shown.category, cpp.profile.category || '');
    assert.strictEqual(shown.confidence, cpp.profile.confidence === null ? '' : String(cpp.profile.confidence));
    assert(shown.point, 'the point is drawn on the plane');
    // The plan: at least one focus step shown (title + why), the same steps as the C++ plan for these
    // answers, and the disclaimer on the page.
    const cppPlan = JSON.parse(execFileSync(cli, ['plan', '-i', 'ecr-r', '--json', '-', '--format', 'json'], { input: JSON.stringify(answers) }));
    assert(shown.steps.length >= 1, 'at least one focus step is shown');
    assert.deepStrictEqual(shown.planData.focus, cppPlan.focus.map((f) => f.id));
    assert.strictEqual(shown.steps.length, cppPlan.focus.length);
    for (let i = 0; i < cppPlan.focus.length; ++i) {
      assert(shown.steps[i].includes(cppPlan.focus[i].title) && shown.steps[i].includes(cppPlan.focus[i].why.text), `step ${i + 1}`);
    }
    assert.strictEqual(shown.planData.more_help, cppPlan.more_help !== null);
    assert(/not a diagnosis/.test(cppPlan.disclaimer) && shown.plan.includes(cppPlan.disclaimer), 'the disclaimer is shown with the plan');

    // Timing of one person in Chromium (performance.now() is coarse, so many repetitions).
    const t = await page.evaluate(async () => {
      const a = await attune.load();
      const text = await (await fetch('../../instruments/ecr-r.json')).text();
      const ins = a.loadInstrument(text);
      const ans = {}; for (let q = 1; q <= 36; ++q) ans['q' + q] = ((q * 5) % 7) + 1;
      const arr = Float64Array.from({ length: 36 }, (_, i) => ans['q' + (i + 1)]);
      for (let i = 0; i < 2000; ++i) { ins.scoreArray(arr); ins.score(ans); }  // warm up (tier-up)
      let n = 20000, t0 = performance.now();
      for (let i = 0; i < n; ++i) ins.scoreArray(arr);
      const fast = (performance.now() - t0) * 1000 / n;
      n = 5000; t0 = performance.now();
      for (let i = 0; i < n; ++i) ins.score(ans);
      const json = (performance.now() - t0) * 1000 / n;
      return { fast, json };
    });
    console.log(`chromium: one person ${t.fast.toFixed(2)} us (array in, numbers out), ${t.json.toFixed(1)} us (JSON in, full JSON result out)`);

    await page.evaluate(() => document.getElementById('plan').scrollIntoView());
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`screenshot: ${screenshot}`);
    assert.deepStrictEqual(foreign, [], 'the page requested nothing outside its own server');
    assert.deepStrictEqual(errors, []);
    console.log('web e2e: OK');
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
