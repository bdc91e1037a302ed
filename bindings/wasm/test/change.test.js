// Node test of compare and couple in the WebAssembly build: the JSON of `attune compare --format json`
// and `attune couple --format json` for the same saved results, and values computed by hand.
//   ATTUNE_CLI=build/attune node bindings/wasm/test/change.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const attune = require('..');

const root = path.resolve(__dirname, '../../..');
// A source name (the CLI's file name, '<before>' and the like here) is where a result came from, not
// part of the comparison.
const withoutSources = (doc) => JSON.parse(JSON.stringify(doc, (k, v) => (k === 'source' ? undefined : v)));

(async () => {
  const a = await attune.load();
  const ins = a.loadInstrument(fs.readFileSync(path.join(root, 'instruments/ecr-r.json'), 'utf8'), 'ecr-r.json');
  // Every keyed answer k (reverse-keyed items 8 - k): both scale means are exactly k.
  const rev = new Set([9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36]);
  const keyed = (k) => Object.fromEntries(Array.from({ length: 36 }, (_, i) => ['q' + (i + 1), rev.has(i + 1) ? 8 - k : k]));
  const before = ins.score(keyed(5)), after = ins.score(keyed(4));
  const opts = { sd: { anxiety: 1 }, reliability: { anxiety: 0.9 }, before_date: '2026-01-05', after_date: '2026-03-02' };
  const c = a.compare(before, after, opts);
  const anx = c.scales.find((s) => s.id === 'anxiety'), avo = c.scales.find((s) => s.id === 'avoidance');
  // By hand: SEM = 1 x sqrt(1 - 0.9) = 0.316228; s_diff = sqrt(2) x SEM = 0.447214;
  // RCI = (4 - 5) / 0.447214 = -2.236068 (|RCI| > 1.96: reliable); MDC95 = 1.96 x 0.447214 = 0.876539.
  assert(Math.abs(anx.difference + 1) < 1e-12);
  assert(Math.abs(anx.rci + Math.sqrt(5)) < 1e-9, anx.rci);
  assert(Math.abs(anx.mdc95 - 1.96 * Math.sqrt(0.2)) < 1e-9, anx.mdc95);
  assert.strictEqual(anx.reliable, true);
  assert.strictEqual(avo.reliable, null);  // no SD and reliability given for avoidance: not judged
  assert.strictEqual(c.days_apart, 56);    // 2026-01-05 to 2026-03-02
  // A result given as text (as `attune score --json` writes it) is the same as the object.
  assert.deepStrictEqual(a.compare(JSON.stringify(before), JSON.stringify(after), opts), c);

  const cp = a.couple(before, after, { names: ['Sam', 'Alex'] });
  assert.deepStrictEqual(cp.people.map((p) => p.name), ['Sam', 'Alex']);
  assert(cp.practices.length >= 1 && cp.practices.every((p) => p.title && p.why));
  assert(/compatib/i.test(JSON.stringify(cp.not_a_score)));

  // Errors come back as AttuneError: results of different instruments are a usage error.
  const rq = a.loadInstrument(fs.readFileSync(path.join(root, 'instruments/rq.json'), 'utf8'), 'rq.json');
  assert.throws(() => a.compare(before, rq.score({ 1: 5, 2: 3, 3: 2, 4: 6 })), (e) => e instanceof attune.AttuneError && e.kind === 'usage');
  assert.throws(() => a.compare('{', after), (e) => e instanceof attune.AttuneError && e.kind === 'data');

  // The same documents as the C++ CLI on the same saved results (the files the CLI reads are what
  // score() returned, written as JSON).
  if (process.env.ATTUNE_CLI) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-change-'));
    try {
      const fb = path.join(dir, 'before.json'), fa = path.join(dir, 'after.json');
      fs.writeFileSync(fb, JSON.stringify(before));
      fs.writeFileSync(fa, JSON.stringify(after));
      const cli = (args) => JSON.parse(execFileSync(process.env.ATTUNE_CLI, args));
      const cliCompare = cli(['compare', fb, fa, '--format', 'json', '--sd', 'anxiety=1', '--reliability', 'anxiety=0.9',
        '--before-date', '2026-01-05', '--after-date', '2026-03-02']);
      assert.deepStrictEqual(withoutSources(c), withoutSources(cliCompare));
      const cliCouple = cli(['couple', fb, fa, '--format', 'json', '--names', 'Sam,Alex']);
      assert.deepStrictEqual(withoutSources(cp), withoutSources(cliCouple));
      // And with the CLI's own saved result (score --json) as the input of both.
      const saved = execFileSync(process.env.ATTUNE_CLI, ['score', '-i', 'ecr-r', '--json', '-'], { input: JSON.stringify(keyed(5)) }).toString();
      assert.deepStrictEqual(withoutSources(a.compare(saved, after, opts)), withoutSources(c));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else {
    console.log('ATTUNE_CLI not set: skipped the comparison with the C++ CLI');
  }
  ins.free();
  rq.free();
  console.log('wasm compare/couple: all checks passed');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
