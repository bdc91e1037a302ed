// Node test of one person's norms in the WebAssembly build (docs/norms.md): score(answers, { normGroup })
// gives the `norms` member of `attune score --json --norm-group ...` for the same answers and context,
// and each percentile is the set's table interpolated here, independently of the C++.
//   ATTUNE_CLI=build/attune node bindings/wasm/test/norms.test.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const attune = require('..');

const root = path.resolve(__dirname, '../../..');
const setText = fs.readFileSync(path.join(root, 'instruments/norms/ecr-openpsychometrics-1to5.json'), 'utf8');
const set = JSON.parse(setText);

// Linear between listed values, the end's percentile beyond the ends (docs/norms.md, "Percentiles").
function interp(table, x) {
  if (x <= table[0][0]) return table[0][1];
  if (x >= table[table.length - 1][0]) return table[table.length - 1][1];
  let hi = 1;
  while (table[hi][0] <= x) ++hi;
  const [x0, p0] = table[hi - 1], [x1, p1] = table[hi];
  return p0 + ((x - x0) / (x1 - x0)) * (p1 - p0);
}

(async () => {
  const a = await attune.load();
  const ecrText = fs.readFileSync(path.join(root, 'instruments/ecr.json'), 'utf8');
  const ins = a.loadInstrument(ecrText, 'ecr.json', { dataScale: [1, 5] });
  // Answers on 1..5 with two not answered (q3, q20): the means are over the answered items.
  const answers = {};
  for (let q = 1; q <= 36; ++q) answers['q' + q] = q === 3 || q === 20 ? null : 1 + ((q * 7) % 5);

  // Before a set is loaded: no norms member (the result as before), and asking for one names the set.
  assert(!('norms' in ins.score(answers)));
  assert.throws(() => ins.score(answers, { normGroup: { gender: 'female', age: 30 } }),
    (e) => e instanceof attune.AttuneError && e.kind === 'usage' && /ecr-openpsychometrics-1to5/.test(e.message));

  assert.strictEqual(a.loadNormSet(setText), 'ecr-openpsychometrics-1to5');
  // Three contexts: a cell, a cell of the other gender and band, and one that fits no cell (under 18).
  const contexts = [
    [{ gender: 'female', age: 30 }, 'gender=female,age=30', 'female-25-34'],
    [{ gender: 'male', age: 61 }, 'gender=male,age=61', 'male-55-99'],
    [{ gender: 'female', age: 15 }, 'gender=female,age=15', 'all'],
  ];
  for (const [group, cliGroup, cellId] of contexts) {
    const r = ins.score(answers, { normGroup: group });
    assert.strictEqual(r.norms.cell.id, cellId);
    const cell = set.cells.find((c) => c.id === cellId);
    for (const s of r.scales) {
      const n = r.norms.scales[s.id];
      assert(Math.abs(n.mean_score - s.raw) < 1e-10, s.id);  // the member's numbers have 12 significant digits
      const d = cell.scales[s.id].mean_score;
      assert(Math.abs(n.z - (s.raw - d.mean) / d.sd) < 1e-9, `${s.id} z`);
      assert(Math.abs(n.percentile - interp(d.table, s.raw)) < 1e-9, `${s.id} percentile ${n.percentile}`);
    }
    if (process.env.ATTUNE_CLI) {
      const cli = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['score', '-i', 'ecr', '--response-scale', '1..5', '--json', '-',
        '--norm-group', cliGroup], { input: JSON.stringify(answers) }));
      assert.deepStrictEqual(r.norms, cli.norms, cliGroup);
    }
  }
  if (!process.env.ATTUNE_CLI) console.log('ATTUNE_CLI not set: skipped the comparison with the C++ CLI');
  // The context that fits no cell says so.
  assert(/fits no gender x age cell/.test(ins.score(answers, { normGroup: { gender: 'female', age: 15 } }).norms.context));
  // The default set loaded: without options the whole sample's norms, as `attune score --json` gives them.
  const plain = ins.score(answers);
  assert.strictEqual(plain.norms.cell.id, 'all');
  assert.deepStrictEqual(ins.score(answers, { normGroup: 'gender=female,age=30' }).norms, ins.score(answers, { normGroup: { gender: 'female', age: 30 } }).norms);
  assert.strictEqual(ins.score(answers, { normSet: 'none' }).norms, undefined);

  // Refusals, as the CLI's: another gender (usage), 1..7 answers with the 1..5 set (naming the conversion).
  assert.throws(() => ins.score(answers, { normGroup: { gender: 'other' } }), (e) => e.kind === 'usage' && /female and male/.test(e.message));
  const ins7 = a.loadInstrument(ecrText, 'ecr.json');
  const seven = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v === null ? null : v + 1]));
  assert(!('norms' in ins7.score(seven)));  // the 1..5 default does not apply to 1..7 answers, silently as in the CLI
  assert.throws(() => ins7.score(seven, { normGroup: { gender: 'male', age: 40 } }),
    (e) => e.kind === 'usage' && /--convert-response-scale linear/.test(e.expected + e.message));
  const conv = ins7.score(seven, { normGroup: { gender: 'male', age: 40 }, convertResponseScale: 'linear' });
  assert(/converted linearly/.test(conv.norms.conversion));
  if (process.env.ATTUNE_CLI) {
    const cli = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['score', '-i', 'ecr', '--json', '-', '--norm-group', 'gender=male,age=40',
      '--convert-response-scale', 'linear'], { input: JSON.stringify(seven) }));
    assert.deepStrictEqual(conv.norms, cli.norms);
  }
  assert.throws(() => ins.score(answers, { convertResponseScale: 'cubic' }), (e) => e.kind === 'usage');

  // compare() looks up the set a result names, as `attune compare` does: results saved before the sets
  // carried an SD and alpha (their norm_sd and norm_alpha taken out here) still get a verdict.
  // Anxiety 4 -> 3 (the CLI test's pair): SEM = 0.8033620197792566 x sqrt(1 - 0.9160061675346849)
  // (the set's whole sample), RCI = -1 / (sqrt(2) x SEM) = -3.0370364719...
  const rev = new Set([3, 15, 19, 22, 25, 27, 29, 31, 33, 35]);
  const ecrAnswers = (anx) => Object.fromEntries(Array.from({ length: 36 }, (_, i) => {
    const k = (i + 1) % 2 === 0 ? anx : 4;
    return ['q' + (i + 1), rev.has(i + 1) ? 6 - k : k];
  }));
  const old = (r) => {
    const d = JSON.parse(JSON.stringify(r));
    for (const v of Object.values(d.norms.scales)) { delete v.norm_sd; delete v.norm_alpha; }
    return d;
  };
  const oldBefore = old(ins.score(ecrAnswers(4))), oldAfter = old(ins.score(ecrAnswers(3)));
  const cmp = a.compare(oldBefore, oldAfter);
  const anxChange = cmp.scales.find((s) => s.id === 'anxiety');
  const sem = 0.8033620197792566 * Math.sqrt(1 - 0.9160061675346849);
  assert(Math.abs(anxChange.rci + 1 / (Math.SQRT2 * sem)) < 1e-9, anxChange.rci);
  assert.strictEqual(anxChange.verdict, 'reliable_down');
  assert(/looked up in the set/.test(anxChange.basis), anxChange.basis);
  if (process.env.ATTUNE_CLI) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-norms-'));
    try {
      const fb = path.join(dir, 'before.json'), fa = path.join(dir, 'after.json');
      fs.writeFileSync(fb, JSON.stringify(oldBefore));
      fs.writeFileSync(fa, JSON.stringify(oldAfter));
      const cli = JSON.parse(execFileSync(process.env.ATTUNE_CLI, ['compare', fb, fa, '--format', 'json']));
      const noSources = (doc) => JSON.parse(JSON.stringify(doc, (k, v) => (k === 'source' ? undefined : v)));
      assert.deepStrictEqual(noSources(cmp), noSources(cli));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  ins.free();
  ins7.free();
  console.log('norms.test.js: one person\'s norms as the CLI\'s, three contexts');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
