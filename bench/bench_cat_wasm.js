// One adaptive-test step in WebAssembly (Node): the JSON step (request in, reply out) over the
// states of three whole tests, as bench_cat.cpp does natively; and the module's size.
// Run: bindings/wasm/build.sh && node bench/bench_cat_wasm.js   (targets: step <= 50 us, .wasm <= 1,000,000 bytes)
'use strict';
const fs = require('fs');
const path = require('path');
const attune = require('../bindings/wasm');

const root = path.resolve(__dirname, '..');

(async () => {
  const a = await attune.load();
  const cal = a.loadCalibration(fs.readFileSync(path.join(root, 'instruments/calibrations/ecr-openpsychometrics-1to5.json'), 'utf8'));
  const ids = Array.from({ length: 36 }, (_, i) => 'q' + (i + 1));
  const people = [0, 1, 2].map((p) => Object.fromEntries(ids.map((id, j) => [id, p === 0 ? 3 : p === 1 ? 5 : 1 + ((j * 7 + 3) % 5)])));
  const states = [];
  for (const person of people) {
    const answers = [];
    for (;;) {
      states.push(answers.slice());
      const s = cal.catStep(answers);
      if (s.stop) break;
      answers.push([s.next_item, person[s.next_item]]);
    }
  }
  for (let warm = 0; warm < 200; ++warm) for (const s of states) cal.catStep(s);
  const rounds = 2000;
  // CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < rounds; ++k) for (const s of states) cal.catStep(s);
  const us = Number(process.hrtime.bigint() - t0) / 1000 / (rounds * states.length);
  const cpu = process.cpuUsage(c0);
  const cpuUs = (cpu.user + cpu.system) / (rounds * states.length);
  // The same states through the array step (no JSON).
  const arrays = states.map((st) => [st.map((x) => cal.itemIds.indexOf(x[0])), st.map((x) => x[1])]);
  for (let warm = 0; warm < 200; ++warm) for (const [i, r] of arrays) cal.catStepArray(i, r);
  const c1 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  for (let k = 0; k < rounds; ++k) for (const [i, r] of arrays) cal.catStepArray(i, r);
  const us1 = Number(process.hrtime.bigint() - t1) / 1000 / (rounds * states.length);
  const cpu1 = process.cpuUsage(c1);
  console.log(`cat step in WebAssembly, array in and out (attune_cat_step): ${us1.toFixed(1)} us wall, ${((cpu1.user + cpu1.system) / (rounds * states.length)).toFixed(1)} us CPU`);
  const wasm = path.join(root, 'bindings/wasm/dist/attune_wasm.wasm');
  const size = fs.existsSync(wasm) ? fs.statSync(wasm).size : NaN;
  console.log(`cat step in WebAssembly (Node ${process.version}, JSON in and out, mean over ${states.length} test states): ${us.toFixed(1)} us wall, ${cpuUs.toFixed(1)} us CPU (target <= 50 us)`);
  console.log(`attune_wasm.wasm: ${size} bytes (target <= 1,000,000)`);
  cal.free();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
