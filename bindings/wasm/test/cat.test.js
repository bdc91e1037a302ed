// The adaptive test and one person's theta in WebAssembly, replayed from the NumPy reference's
// sequences (tests/reference/cat_sequences.json): the same items in the same order, reason, theta
// and SE as the reference, so the same as C and Python. Usage: node bindings/wasm/test/cat.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const attune = require('..');

const root = path.resolve(__dirname, '../../..');

(async () => {
  const a = await attune.load();
  const cal = a.loadCalibration(fs.readFileSync(path.join(root, 'instruments/calibrations/ecr-openpsychometrics-1to5.json'), 'utf8'));
  const fixture = JSON.parse(fs.readFileSync(path.join(root, 'tests/reference/cat_sequences.json'), 'utf8'));
  for (const c of fixture.cases) {
    const answers = [];
    let s;
    for (;;) {
      s = cal.catStep(answers, c.rules);
      if (s.stop) break;
      answers.push([s.next_item, c.answers[s.next_item]]);
    }
    assert.deepStrictEqual(answers.map((x) => x[0]), c.items, c.name);
    assert.strictEqual(s.reason, c.reason, c.name);
    for (const [id, ref] of Object.entries(c.scales)) {
      assert(Math.abs(s.scales[id].theta - ref.theta) < 1e-6, c.name + ' theta ' + id);
      assert(Math.abs(s.scales[id].se - ref.se) < 1e-6, c.name + ' se ' + id);
    }
  }
  // The array step (attune_cat_step, no JSON) asks the same items and ends with the same thetas.
  const codes = { se_target: 1, max_items: 2, se_change: 3, bank_exhausted: 4, max_total: 5 };
  for (const c of fixture.cases) {
    const items = [], responses = [];
    let s;
    for (;;) {
      s = cal.catStepArray(items, responses, c.rules);
      if (s.next < 0) break;
      items.push(s.next);
      const v = c.answers[cal.itemIds[s.next]];
      responses.push(v === null ? NaN : v);
    }
    assert.deepStrictEqual(items.map((j) => cal.itemIds[j]), c.items, 'array ' + c.name);
    assert.strictEqual(s.reason, codes[c.reason], 'array ' + c.name);
    cal.scaleIds.forEach((id, d) => assert(Math.abs(s.theta[d] - c.scales[id].theta) < 1e-6 && Math.abs(s.se[d] - c.scales[id].se) < 1e-6));
  }
  const t = cal.theta({ q1: 4, q2: null });
  assert.strictEqual(t.scales.avoidance.answered, 1);
  assert.throws(() => cal.theta({ q1: 7 }), (e) => e.kind === 'answer' && e.item === 'q1');
  cal.free();
  console.log('cat.test.js: ' + fixture.cases.length + ' cases passed');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
