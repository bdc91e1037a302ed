// Node test of the WebAssembly build: hand-computed values, equality with the C++ CLI, an error path.
//   ATTUNE_CLI=build/attune node bindings/wasm/test/node.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const attune = require('..');

const root = path.resolve(__dirname, '../../..');

(async () => {
  const a = await attune.load();
  const ins = a.loadInstrument(fs.readFileSync(path.join(root, 'instruments/ecr-r.json'), 'utf8'), 'ecr-r.json');
  assert.strictEqual(ins.items.length, 36);

  // Hand-computed (see tests/c/test_c_abi.c): anxiety = 94/18, avoidance = 84/18, fearful quadrant.
  const answers = {};
  for (let q = 1; q <= 36; ++q) answers['q' + q] = q === 1 ? 7 : q === 9 ? 3 : q === 11 ? 1 : q <= 18 ? 5 : 2;
  const r = ins.score(answers);
  const scale = (id) => r.scales.find((s) => s.id === id).raw;
  assert(Math.abs(scale('anxiety') - 94 / 18) < 1e-12);
  assert(Math.abs(scale('avoidance') - 84 / 18) < 1e-12);
  assert(Math.abs(r.profile.dimensions.fearful - 17 / 27 / Math.SQRT2) < 1e-12);
  assert.strictEqual(r.profile.category, 'fearful');
  assert(/not a diagnosis/.test(r.disclaimer));

  const fast = ins.scoreArray(Array.from({ length: 36 }, (_, i) => answers['q' + (i + 1)]));
  assert.strictEqual(fast.categoryMask, 1 << 3);
  assert(Math.abs(fast.anxiety - 11 / 27) < 1e-12);

  // The same document as the C++ CLI for the same answers (numbers to 1e-12).
  if (process.env.ATTUNE_CLI) {
    const cli = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['score', '-i', 'ecr-r', '--json', '-'], { input: JSON.stringify(answers) }));
    assert.deepStrictEqual(Object.keys(r).sort(), Object.keys(cli).sort());
    for (const s of cli.scales) assert(Math.abs(s.raw - scale(s.id)) < 1e-12);
    for (const k of Object.keys(cli.profile.dimensions)) assert(Math.abs(cli.profile.dimensions[k] - r.profile.dimensions[k]) < 1e-12);
    assert.strictEqual(r.profile.category, cli.profile.category);
  } else {
    console.log('ATTUNE_CLI not set: skipped the comparison with the C++ CLI');
  }

  // The plan (guidance pack embedded in the module): focus steps, the disclaimer, deterministic, and the
  // same document as the C++ CLI's `attune plan --format json` for the same answers and context.
  const ctx = { stage: 'dating', start: '2026-01-05' };
  const p = ins.plan(answers, ctx);
  assert(p.focus.length >= 1 && p.focus.every((f) => f.title && f.why && f.why.text));
  assert(/not a diagnosis/.test(p.disclaimer));
  assert.strictEqual(p.context.stage, 'dating');
  assert.deepStrictEqual(ins.plan(answers, ctx), p);
  if (process.env.ATTUNE_CLI) {
    const cliPlan = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['plan', '-i', 'ecr-r', '--json', '-', '--format', 'json',
      '--stage', 'dating', '--start', '2026-01-05'], { input: JSON.stringify(answers) }));
    assert.deepStrictEqual(p, cliPlan);
  }
  // Extreme answers on both scales (7 on every item, 1 on the reversed ones): the care rule fires, the
  // plan leads with more help (anxiety = avoidance = 7, above the no-norms threshold of 5.5).
  const extreme = {};
  const reversed = [9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36];
  for (let q = 1; q <= 36; ++q) extreme['q' + q] = reversed.includes(q) ? 1 : 7;
  const care = ins.plan(extreme);
  assert.strictEqual(care.lead, 'more_help');
  assert(care.more_help && care.more_help.items.length > 0);
  assert(/not a diagnosis/.test(care.disclaimer));
  assert.throws(() => ins.plan(answers, { stgae: 'dating' }), (e) => e.kind === 'usage' && e.jsonPath === '/stgae');

  // Error path: out of range names the item and value.
  assert.throws(() => ins.score({ q5: 8 }), (e) => e instanceof attune.AttuneError && e.kind === 'answer' && e.code === -3 &&
    e.item === 'q5' && e.value === '8' && /q5/.test(e.message));
  assert.throws(() => a.loadInstrument('{"id": 3}', 'mine.json'), (e) => e.kind === 'instrument' && /mine.json/.test(e.message));

  // Timing of one person (JSON in, JSON out) and of the fast path, in Node.
  const n = 20000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) ins.score(answers);
  const jsonUs = Number(process.hrtime.bigint() - t) / n / 1000;
  const arr = Array.from({ length: 36 }, (_, i) => answers['q' + (i + 1)]);
  t = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) ins.scoreArray(arr);
  const fastUs = Number(process.hrtime.bigint() - t) / n / 1000;
  console.log(`node: one person ${jsonUs.toFixed(2)} us (JSON in/out), ${fastUs.toFixed(2)} us (array in, numbers out)`);
  ins.free();
  console.log('wasm node test: OK');
})().catch((e) => { console.error(e); process.exit(1); });
