// Two builds of the WebAssembly module in one Node process, the same calls interleaved round by round
// (A B, B A, ...): on a loaded machine this compares them under the same conditions, where separate
// processes also count each one's own engine warm-up and the load of the moment. CPU time per call.
// Usage: node bench/wasm_ab.js DIR_A DIR_B [score|plan|cat] [ROUNDS]
//   DIR: a copy of bindings/wasm with its dist/ (e.g. cp -r bindings/wasm /tmp/before before a change)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const [dirA, dirB, what = 'score', roundsArg = '30'] = process.argv.slice(2);
if (!dirB) {
  console.error('usage: node bench/wasm_ab.js DIR_A DIR_B [score|plan|cat] [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const text = fs.readFileSync(path.join(root, 'instruments/ecr-r.json'), 'utf8');
const calText = fs.readFileSync(path.join(root, 'instruments/calibrations/ecr-openpsychometrics-1to5.json'), 'utf8');
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpuUs = () => { const c = process.cpuUsage(); return c.user + c.system; };

(async () => {
  const mods = [await require(path.resolve(dirA)).load(), await require(path.resolve(dirB)).load()];
  const ins = mods.map((m) => m.loadInstrument(text, 'ecr-r.json'));
  const cals = mods.map((m) => m.loadCalibration(calText));
  // 64 answer sets as bench.js makes them (1..7, about 3% left out), the same for both.
  let seed = 20261203;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const sets = Array.from({ length: 64 }, () => Object.fromEntries(ins[0].items.map((it) => [it.id, next() < 0.03 ? null : 1 + Math.floor(next() * 7)])));
  const states = [[], [['q1', 3]], [['q1', 3], ['q5', 4], ['q9', 2]]];
  const calls = {
    score: [5000, (k, i) => ins[k].score(sets[i & 63])],
    plan: [200, (k, i) => ins[k].plan(sets[i & 63])],
    cat: [2000, (k, i) => cals[k].catStep(states[i % 3])],
  };
  const [n, f] = calls[what];
  // Warm-up by count, not by time: under load a second of wall clock may not let the engine finish
  // optimizing, and its compiler threads' CPU would then be counted in the rounds.
  for (const k of [0, 1]) for (let i = 0; i < 10 * n; ++i) f(k, i);
  const us = [[], []];
  for (let r = 0; r < rounds; ++r) {
    for (const k of r % 2 ? [1, 0] : [0, 1]) {
      const c0 = cpuUs();
      for (let i = 0; i < n; ++i) f(k, i);
      us[k].push((cpuUs() - c0) / n);
    }
  }
  const ratio = median(us[0].map((a, r) => us[1][r] / a));
  console.log(`${what}: A ${median(us[0]).toFixed(2)} us CPU, B ${median(us[1]).toFixed(2)} us CPU, ` +
              `B/A ${ratio.toFixed(3)} (median of ${rounds} interleaved rounds of ${n} calls; load average ${require('os').loadavg()[0].toFixed(1)})`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
