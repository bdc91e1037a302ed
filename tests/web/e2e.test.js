// End-to-end: the browser demo (examples/web) as a person takes it, in headless Debian Chromium. With
// the FAKE text pack: one question at a time, an empty answer refused with a prompt, keyboard use,
// resuming after a reload from the browser's storage, the result equal to the C++ CLI's (`attune score
// --json`, `attune plan --format json`), a headline that is the plan's own, a second take compared with
// the first, the view for two partners (this device's result beside one the other partner shared,
// through couple), "forget my answers", no serious or critical axe-core violations, and screenshots at
// phone (390x844) and desktop (1280x900) widths.
//   ATTUNE_CLI=build/attune [SCREENSHOT_DIR=build] node tests/web/e2e.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '../..');
const cli = process.env.ATTUNE_CLI;
const shots = process.env.SCREENSHOT_DIR || os.tmpdir();
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
const PACK = path.join(root, 'examples/web/fake-text-pack.ecr-r.json');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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

const cliJson = (args, answers) => JSON.parse(execFileSync(cli, [...args, '-i', 'ecr-r', '--json', '-'], { input: JSON.stringify(answers) }));

async function openWithPack(page, base) {
  await page.goto(`${base}/examples/web/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.setInputFiles('#textpack', PACK);
  await page.waitForSelector('#survey:not([hidden])');
}

// Answers questions from..to (1-based) by clicking, then Next.
async function answer(page, answers, from, to) {
  for (let q = from; q <= to; ++q) {
    await page.check(`#q${q}-${answers[`q${q}`]}`);
    await page.click('#next');
  }
}

// No serious or critical accessibility violations (axe-core, WCAG 2 A/AA rules) in the page as it is.
async function checkAxe(page, when) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepStrictEqual(bad, [], `axe (${when}): ${JSON.stringify(bad)}`);
}

// A source name (a file name for the CLI) says where a result came from; it is not part of the comparison.
const withoutSources = (doc) => JSON.parse(JSON.stringify(doc, (k, v) => (k === 'source' ? undefined : v)));
// `attune compare --format json` on two saved results written to files.
function cliCompare(before, after) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-web-'));
  try {
    fs.writeFileSync(path.join(dir, 'before.json'), JSON.stringify(before));
    fs.writeFileSync(path.join(dir, 'after.json'), JSON.stringify(after));
    return JSON.parse(execFileSync(cli, ['compare', path.join(dir, 'before.json'), path.join(dir, 'after.json'), '--format', 'json']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Takes the adaptive version answering every ECR item keyed `k` (reverse-keyed 6 - k, on 1..5):
// returns the items asked in order and the page's theta per scale.
const ECR_REVERSED = new Set([3, 15, 19, 22, 25, 27, 29, 31, 33, 35]);
const ecrKeyed = (k) => Object.fromEntries(Array.from({ length: 36 }, (_, i) => [`q${i + 1}`, ECR_REVERSED.has(i + 1) ? 6 - k : k]));
async function takeAdaptive(page, answers) {
  for (let n = 0; n < 36; ++n) {
    if (await page.isVisible('#adaptive-results')) break;
    const id = await page.getAttribute('#item-text', 'data-item');
    await page.check(`#${id}-${answers[id]}`);
    await page.click('#next');
  }
  await page.waitForSelector('#adaptive-results:not([hidden])');
  return {
    asked: JSON.parse(await page.getAttribute('#adaptive-results', 'data-asked')),
    scales: JSON.parse(await page.getAttribute('#adaptive-results', 'data-scales')),
    saved: JSON.parse(await page.getAttribute('#adaptive-results', 'data-saved')),
  };
}

// The adaptive mode: the same items in the same order and the same theta as `attune take ecr
// --adaptive` for the same answers; an empty answer refused; a retake compared through compare, with
// the CLI's verdict (a reliable change here: from keyed 4 to keyed 2 is far beyond the theta SEs).
async function adaptiveMode(page) {
  await page.click('#adaptive-start');  // after "forget", the full survey is showing
  await page.waitForSelector('#item-text[data-item]');
  assert(/adaptive/.test(await page.textContent('#progress-text')));
  await page.click('#next');
  assert(/choose one answer/.test(await page.textContent('#prompt')), 'an empty answer is refused');
  // Back drops the last answer and asks that item again.
  const firstId = await page.getAttribute('#item-text', 'data-item');
  const high = ecrKeyed(4), low = ecrKeyed(2);
  await page.check(`#${firstId}-${high[firstId]}`);
  await page.click('#next');
  await page.click('#back');
  assert.strictEqual(await page.getAttribute('#item-text', 'data-item'), firstId);
  const one = await takeAdaptive(page, high);
  assert(one.asked.length < 36, 'fewer items than the full questionnaire');
  const input = one.asked.map((id) => String(high[id])).join('\n') + '\n';
  const take = JSON.parse(execFileSync(cli, ['take', 'ecr', '--adaptive', '--format', 'json'], { input, stdio: ['pipe', 'pipe', 'ignore'] }));
  assert.deepStrictEqual(take.adaptive.answers.map((x) => x.item), one.asked, 'the same items in the same order as the CLI');
  for (const [id, s] of Object.entries(take.adaptive.scales)) {
    assert(Math.abs(s.theta - one.scales[id].theta) < 1e-9 && Math.abs(s.theta_se - one.scales[id].se) < 1e-9, id);
  }
  assert(/first adaptive result/.test(await page.textContent('#adaptive-compare')));
  await checkAxe(page, 'adaptive result');

  await page.click('#adaptive-again');
  const two = await takeAdaptive(page, low);
  const shownCompare = JSON.parse(await page.getAttribute('#adaptive-compare-body', 'data-compare'));
  const cliC = cliCompare(one.saved, two.saved);
  assert.deepStrictEqual(withoutSources(shownCompare), withoutSources(cliC));
  for (const sc of cliC.scales) {
    assert.strictEqual(sc.metric, 'theta', 'the SEM comes from the theta SEs');
    assert.strictEqual(sc.reliable, true, `${sc.id}: a reliable change`);
    assert((await page.textContent('#adaptive-compare')).includes(sc.verdict_text), sc.id);
  }
  assert(/less than two weeks|two weeks/.test(await page.textContent('#adaptive-compare')), 'taken the same day: the interval warning is shown');
  await checkAxe(page, 'adaptive comparison');
}

// The view for two partners: this device's result and one the other partner shared (here the CLI's
// `attune score --json` of other answers, pasted), through attune's couple: the same document as
// `attune couple --names ... --format json` for the same two results, both points on the plane, every
// difference and practice shown, never a compatibility score, not a diagnosis; the partner's result is
// not kept in the browser's storage; screenshots at phone and desktop widths.
async function coupleView(page, mine, theirs) {
  assert(await page.isVisible('#couple'), 'the couple view is offered with a result');
  // "Save my result as a file" gives this device's result as the file a partner loads.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#couple-save')]);
  const saved = path.join(os.tmpdir(), `attune-shared-${process.pid}.json`);
  await download.saveAs(saved);
  assert.strictEqual(fs.readFileSync(saved, 'utf8'), await page.inputValue('#couple-mine'), 'the saved file is the shared result');
  fs.rmSync(saved, { force: true });
  await page.click('#couple-show');
  assert(/Paste your partner/.test(await page.textContent('#couple-status')), 'nothing pasted: a clear prompt');
  await page.fill('#couple-theirs', '{"not": ');
  await page.click('#couple-show');
  assert(/does not look like a shared result/.test(await page.textContent('#couple-status')));
  const theirsText = JSON.stringify(cliJson(['score'], theirs));
  await page.fill('#couple-theirs', theirsText);
  await page.fill('#couple-name-a', 'Sam');
  await page.fill('#couple-name-b', 'Alex');
  await page.click('#couple-show');
  await page.waitForSelector('#couple-body:not([hidden])');
  assert.strictEqual(await page.textContent('#couple-status'), '');
  const shown = JSON.parse(await page.getAttribute('#couple-body', 'data-couple'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-couple-'));
  let cli;
  try {
    fs.writeFileSync(path.join(dir, 'a.json'), await page.inputValue('#couple-mine'));
    fs.writeFileSync(path.join(dir, 'b.json'), theirsText);
    cli = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['couple', path.join(dir, 'a.json'), path.join(dir, 'b.json'), '--names', 'Sam,Alex', '--format', 'json']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepStrictEqual(shown, cli, 'the page shows the CLI couple document for the same two results');
  assert(close2(JSON.parse(await page.inputValue('#couple-mine')).scales[0].raw, cliJson(['score'], mine).scales[0].raw), 'this device shares its own result');
  const text = await page.innerText('#couple');
  assert(/never a compatibility score/.test(text) && /not a diagnosis/.test(text), 'never a score, not a diagnosis');
  for (const d of cli.differences) assert(text.includes(d.text), d.id);
  for (const p of cli.practices) assert(text.includes(p.title) && p.why.every((w) => text.includes(w)), p.id);
  assert(text.includes('Sam') && text.includes('Alex'));
  assert.strictEqual(await page.locator('#couple-plane .couple-point').count(), 2, 'both points on one plane');
  assert(!/--(sd|reliability)/.test(text), 'no option names for the person');
  const kept = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  assert(!kept.includes('"Alex"') && !kept.includes(theirsText.slice(0, 60)), 'the partner\'s result is not kept');
  await checkAxe(page, 'couple view');
  for (const [label, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]]) {
    await page.setViewportSize(viewport);
    await page.locator('#couple').screenshot({ path: path.join(shots, `web-demo-${label}-couple.png`) });
  }
  await page.setViewportSize({ width: 1000, height: 900 });
}
const close2 = (a, b) => Math.abs(Number(a) - b) < 1e-12;

async function screenshots(browser, base, name, answers) {
  for (const [label, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]]) {
    const page = await browser.newPage({ viewport });
    await openWithPack(page, base);
    await answer(page, answers, 1, 2);
    await page.screenshot({ path: path.join(shots, `web-demo-${label}-survey.png`) });
    await answer(page, answers, 3, 36);
    await page.waitForSelector('#results:not([hidden])');
    await page.screenshot({ path: path.join(shots, `web-demo-${label}-${name}.png`), fullPage: true });
    await page.close();
  }
}

(async () => {
  if (!cli) throw new Error('set ATTUNE_CLI to the built attune program');
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await openWithPack(page, base);
    assert(/nothing is sent anywhere/.test(await page.textContent('#privacy')));
    assert(/kept in this browser's own storage on this device/.test(await page.textContent('#privacy')), 'the page says what it keeps');
    assert.strictEqual(await page.textContent('#progress-text'), 'Question 1 of 36, 0 answered');
    await checkAxe(page, 'first question');

    // An empty answer is refused with a prompt, and no result appears (it used to show "closest to
    // the not available pattern").
    await page.click('#next');
    assert(/choose one answer/.test(await page.textContent('#prompt')));
    assert(await page.isHidden('#results'));
    assert.strictEqual(await page.textContent('#progress-text'), 'Question 1 of 36, 0 answered');

    // Keyboard: the arrow keys choose within the question, Enter goes on, focus moves to the next question.
    const first = {};
    for (let q = 1; q <= 36; ++q) first[`q${q}`] = ((q * 5) % 7) + 1;
    await page.focus('#q1-1');
    for (let k = 1; k < first.q1; ++k) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'item-text', 'focus on the new question');
    assert(/^2\. FAKE statement 2/.test(await page.textContent('#item-text')));
    assert.strictEqual(await page.textContent('#progress-text'), 'Question 2 of 36, 1 answered');
    await answer(page, first, 2, 20);

    // Resume: the answers survive a reload on this device.
    await openWithPack(page, base);
    assert(/your 20 earlier answers were kept/.test(await page.textContent('#resumed')), await page.textContent('#resumed'));
    assert(/^21\. /.test(await page.textContent('#item-text')));
    await answer(page, first, 21, 35);
    assert.strictEqual(await page.textContent('#next'), 'See my result');
    await answer(page, first, 36, 36);
    await page.waitForSelector('#results:not([hidden])');
    assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'results');

    const shown = () => page.evaluate(() => {
      const v = (id) => document.getElementById(id).dataset.value;
      return { anxiety: v('anxiety-raw'), avoidance: v('avoidance-raw'), secure: v('dim-secure'), anxious: v('dim-anxious'),
        avoidant: v('dim-avoidant'), fearful: v('dim-fearful'), category: v('category'), confidence: v('confidence'),
        headline: document.getElementById('headline').textContent, nearest: document.getElementById('nearest').textContent,
        text: document.getElementById('results').innerText, result: JSON.parse(document.getElementById('results').dataset.result), point: !!document.getElementById('point'),
        earlier: !!document.getElementById('earlier-point'), plan: document.getElementById('plan').textContent,
        planData: JSON.parse(document.getElementById('plan').dataset.plan || 'null'),
        steps: [...document.querySelectorAll('#plan .plan-step')].map((li) => li.textContent) };
    });
    const close = (a, b) => Math.abs(Number(a) - b) < 1e-12;
    const checkResult = (s, answers) => {
      const cpp = cliJson(['score'], answers);
      assert(close(s.anxiety, cpp.scales.find((x) => x.id === 'anxiety').raw), 'anxiety');
      assert(close(s.avoidance, cpp.scales.find((x) => x.id === 'avoidance').raw), 'avoidance');
      for (const k of ['secure', 'anxious', 'avoidant', 'fearful']) assert(close(s[k], cpp.profile.dimensions[k]), k);
      assert.strictEqual(s.category, cpp.profile.category || '');
      assert.strictEqual(s.confidence, cpp.profile.confidence === null ? '' : String(cpp.profile.confidence));
      assert(s.point, 'the point is drawn on the plane');
      const plan = cliJson(['plan', '--format', 'json'], answers);
      // The headline is the plan's: the page never names a pattern the plan does not.
      assert.strictEqual(s.headline, plan.headline);
      assert.deepStrictEqual(s.planData.focus, plan.focus.map((f) => f.id));
      assert.strictEqual(s.steps.length, plan.focus.length);
      for (let i = 0; i < plan.focus.length; ++i) {
        assert(s.steps[i].includes(plan.focus[i].title) && s.steps[i].includes(plan.focus[i].why.text), `step ${i + 1}`);
      }
      assert.strictEqual(s.planData.more_help, plan.more_help !== null);
      assert(/not a diagnosis/.test(plan.disclaimer) && s.plan.includes(plan.disclaimer), 'the disclaimer is shown with the plan');
      return { cpp, plan };
    };
    const one = await shown();
    checkResult(one, first);
    // Nothing written for researchers on the person's page: no "not computed" confidence, no formulas
    // (they were in a box under the plane); how the point is placed is behind "How this is computed".
    assert(!/not computed|sqrt|standardi[sz]ed|half the response range/i.test(one.text), 'no technical wording on the person\'s page');
    assert(/How this is computed/.test(one.text) && await page.isHidden('#confidence-line'));
    assert(/first result kept on this device/.test(await page.textContent('#compare')));
    await checkAxe(page, 'result');

    // A second take between patterns: keyed 5 on a third of each scale's items, 4 on the rest, so both
    // means are 4.33 (0.11 above the midpoint): the fearful quadrant, but within the plan's boundary
    // band. The page must say what the plan says (a mix), not "closest to the fearful-avoidant pattern".
    const reversed = [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36];
    const second = {};
    for (let q = 1; q <= 36; ++q) {
      const keyed = (q - 1) % 18 < 6 ? 5 : 4;
      second[`q${q}`] = reversed.includes(q) ? 8 - keyed : keyed;
    }
    await page.click('#again');
    assert.strictEqual(await page.textContent('#progress-text'), 'Question 1 of 36, 0 answered');
    await answer(page, second, 1, 36);
    await page.waitForSelector('#results:not([hidden])');
    const two = await shown();
    const { cpp, plan } = checkResult(two, second);
    assert.strictEqual(cpp.profile.category, 'fearful', 'the scenario: the point is in the fearful quadrant');
    assert.strictEqual(plan.profile.mode, 'mix', 'the scenario: the plan reads it as between patterns');
    assert(!/closest (pattern|to the)/i.test(two.headline + two.nearest), `${two.headline} / ${two.nearest}`);
    assert(/boundary between patterns/.test(two.nearest));
    // The comparison with the first take, kept on the device: the earlier point and the change.
    assert(two.earlier, 'the earlier result is drawn on the plane');
    const earlier = JSON.parse(await page.getAttribute('#compare-body', 'data-earlier'));
    assert(close(earlier.anxiety_raw, cliJson(['score'], first).scales[0].raw));
    const change = (cpp.scales[0].raw - earlier.anxiety_raw).toFixed(2);
    assert((await page.textContent('#compare')).includes(change.startsWith('-') ? change : `+${change}`), 'the change is shown');

    // The comparison goes through attune's compare: the verdict per scale is the CLI's for the same two
    // saved results (ECR-R publishes no reliability, so it says it cannot tell, rather than guess).
    const fullCompare = JSON.parse(await page.getAttribute('#compare-body', 'data-compare'));
    const fullCli = cliCompare(earlier.result, JSON.parse(await page.getAttribute('#compare-body', 'data-now')));
    assert.deepStrictEqual(withoutSources(fullCompare), withoutSources(fullCli));
    for (const sc of fullCli.scales) assert((await page.textContent('#compare')).includes(sc.verdict_text), sc.id);

    await page.screenshot({ path: path.join(shots, 'web-demo-compare.png'), fullPage: true });

    await coupleView(page, second, first);

    // Forget: nothing of the person stays in the browser's storage.
    await page.click('#forget');
    assert.strictEqual(await page.evaluate(() => localStorage.length), 0);
    assert(/no longer kept/.test(await page.textContent('#forget-status')));
    assert.strictEqual(await page.textContent('#progress-text'), 'Question 1 of 36, 0 answered');

    await adaptiveMode(page);
    await page.screenshot({ path: path.join(shots, 'web-demo-adaptive-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(shots, 'web-demo-adaptive-phone.png'), fullPage: true });
    await page.click('#forget');
    assert.strictEqual(await page.evaluate(() => localStorage.length), 0, 'forget removes the adaptive results too');

    await screenshots(browser, base, 'result', second);
    console.log(`screenshots: ${shots}/web-demo-{phone,desktop}-{survey,result,couple}.png, web-demo-compare.png, web-demo-adaptive-{desktop,phone}.png`);
    assert.deepStrictEqual(foreign, [], 'the page requested nothing outside its own server');
    assert.deepStrictEqual(errors, []);
    console.log('web e2e: OK');
  } finally {
    await browser.close();
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
