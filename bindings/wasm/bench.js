// Speed of one person through the WebAssembly build, the same measurements in Node and in Chromium
// (native figures: build/bench/bench_score_one). Microseconds per call, the median of 5 rounds.
//   node bindings/wasm/bench.js              in Node
//   node bindings/wasm/bench.js --chromium   in headless Chromium (playwright-core from tests/web: npm ci there)
// In a page (bench.html), window.attuneBench(attune, instrumentText) returns the same rows.
(function (root) {
  'use strict';

  // 64 varied ECR-R answer sets (1..7, a few left out), the same on every run.
  function answerSets(items) {
    let seed = 20261203;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const sets = [];
    for (let k = 0; k < 64; ++k) {
      const a = {};
      for (const it of items) a[it.id] = next() < 0.03 ? null : 1 + Math.floor(next() * 7);
      sets.push(a);
    }
    return sets;
  }

  function median(xs) {
    const s = xs.slice().sort((a, b) => a - b);
    return s[s.length >> 1];
  }

  // Microseconds per call of f(i), the median of 5 rounds of n calls after a second of warm-up (the
  // engine first runs WebAssembly from a quick baseline compile and swaps in optimized code later).
  // In Node also the process's CPU time per call, which a machine shared with other work inflates
  // less than the wall clock.
  function time(now, n, f) {
    for (let t0 = now(), i = 0; now() - t0 < 1000; ++i) f(i);
    const wall = [], cpu = [];
    const cpuUs = typeof process === 'object' && process.cpuUsage ? () => { const c = process.cpuUsage(); return c.user + c.system; } : null;
    for (let r = 0; r < 5; ++r) {
      const t0 = now(), c0 = cpuUs ? cpuUs() : 0;
      for (let i = 0; i < n; ++i) f(i);
      wall.push(((now() - t0) * 1000) / n);
      if (cpuUs) cpu.push((cpuUs() - c0) / n);
    }
    return cpuUs ? [median(wall), median(cpu)] : [median(wall)];
  }

  async function attuneBench(attune, instrumentText, now) {
    now = now || (() => performance.now());
    const a = await attune.load();
    const ins = a.loadInstrument(instrumentText, 'ecr-r.json');
    const sets = answerSets(ins.items);
    const arrays = sets.map((s) => Float64Array.from(ins.items, (it) => (s[it.id] === null ? NaN : s[it.id])));
    // The path score() took before answers went in as numbers: JSON text in, the C++ reader parses it.
    const viaJson = (answers) => {
      a.check(a.f.scoreJson(a.out, ins.handle, JSON.stringify(answers)));
      const res = a.ptr();
      try {
        a.check(a.f.resultToJson(a.out, res, -1));
        return JSON.parse(a.takeString(a.ptr()));
      } finally {
        a.f.resultFree(res);
      }
    };
    const rows = [
      ['score(answers object): the full result', ...time(now, 5000, (i) => ins.score(sets[i & 63]))],
      ['scoreArray(Float64Array): numbers only', ...time(now, 20000, (i) => ins.scoreArray(arrays[i & 63]))],
      ['plan(answers object)', ...time(now, 200, (i) => ins.plan(sets[i & 63]))],
      ['score through answers JSON (the path before)', ...time(now, 5000, (i) => viaJson(sets[i & 63]))],
    ];
    ins.free();
    return rows;
  }

  function table(rows) {
    const us = (x) => (x === undefined ? '' : `${x.toFixed(x < 100 ? 2 : 0)} us`).padStart(11);
    return `${'wall'.padStart(11)}${rows[0][2] === undefined ? '' : 'cpu'.padStart(11)}\n` +
      rows.map(([what, wall, cpu]) => `${us(wall)}${us(cpu)}  ${what}`).join('\n');
  }

  if (typeof module === 'object' && module.exports) module.exports = { attuneBench, table };
  else root.attuneBench = attuneBench;

  if (typeof require === 'function' && typeof module === 'object' && require.main === module) {
    const fs = require('fs');
    const path = require('path');
    const repo = path.resolve(__dirname, '../..');
    const text = fs.readFileSync(path.join(repo, 'instruments/ecr-r.json'), 'utf8');
    const chromium = process.argv.includes('--chromium');
    (chromium ? inChromium(repo) : attuneBench(require('.'), text, () => Number(process.hrtime.bigint()) / 1e6))
      .then((rows) => console.log(`${chromium ? 'chromium' : `node ${process.version}`}: one ECR-R person, median of 5 rounds (load average ${require('os').loadavg()[0].toFixed(1)} on ${require('os').cpus().length} cores)\n${table(rows)}`))
      .catch((e) => { console.error(e); process.exit(1); });
  }

  // Serves the repository on 127.0.0.1 and runs bench.html in headless Chromium.
  async function inChromium(repo) {
    const http = require('http');
    const fs = require('fs');
    const path = require('path');
    const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(repo, 'tests/web')] }));
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
    const server = http.createServer((req, res) => {
      const p = path.normalize(path.join(repo, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (!p.startsWith(repo) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(p)] || 'application/octet-stream' });
      fs.createReadStream(p).pipe(res);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/bindings/wasm/bench.html`);
      await page.waitForFunction(() => window.benchRows || window.benchError, null, { timeout: 300000 });
      const out = await page.evaluate(() => window.benchRows || window.benchError);
      if (typeof out === 'string') throw new Error(out);
      return out;
    } finally {
      await browser.close();
      server.close();
    }
  }
})(typeof self !== 'undefined' ? self : this);
