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

  // score() and plan() place an answers object in memory as numbers (Instrument.place); the path
  // before sent JSON.stringify(answers) through the C++ reader. The same result, or the same error,
  // for random answer sets with the forms a caller may use: ids, positions as keys, null, undefined,
  // NaN and Infinity (JSON writes them as null), -0, numbers in strings, out of range, unknown keys.
  const viaJson = (answers, ctx) => {
    const f = a.f;
    a.check(f.scoreJson(a.out, ins.handle, JSON.stringify(answers)));
    const res = a.ptr();
    try {
      if (ctx) a.check(f.recommendJson(a.out, res, 0, JSON.stringify(ctx), -1));
      else a.check(f.resultToJson(a.out, res, -1));
      return JSON.parse(a.takeString(a.ptr()));
    } finally {
      f.resultFree(res);
    }
  };
  const outcome = (f) => { try { return { ok: f() }; } catch (e) { return { kind: e.kind, message: e.message, item: e.item, value: e.value, jsonPath: e.jsonPath }; } };
  let seed = 23;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const odd = [null, undefined, NaN, Infinity, -0, '5', 8, 0, 4.5, true];
  let placed = 0, refused = 0;
  for (let k = 0; k < 400; ++k) {
    const ans = {};
    for (let q = 1; q <= 36; ++q) {
      const r = rand();
      if (r < 0.05) continue;                                   // absent
      const key = k % 10 === 3 && r < 0.15 ? String(q) : 'q' + q;  // now and then a position
      ans[key] = k % 4 === 1 && r > 0.97 ? odd[Math.floor(rand() * odd.length)] : 1 + Math.floor(rand() * 7);
    }
    if (k % 50 === 7) ans.q99 = 3;                              // an unknown item
    const fast = outcome(() => ins.score(ans)), slow = outcome(() => viaJson(ans));
    assert.deepStrictEqual(fast, slow, `answers ${JSON.stringify(ans)}`);
    if (fast.ok) ++placed; else ++refused;
    if (k % 20 === 0) assert.deepStrictEqual(outcome(() => ins.plan(ans, ctx)), outcome(() => viaJson(ans, ctx)));
  }
  assert(placed > 300 && refused > 10, `both outcomes covered (${placed} scored, ${refused} refused)`);

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
