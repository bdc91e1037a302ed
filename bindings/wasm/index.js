// attune for JavaScript: the C++ core compiled to WebAssembly, wrapped in a small API.
// Works in Node (require('attune-wasm')) and in browsers (<script src="dist/attune_wasm.js"> then
// <script src="index.js">: window.attune). Everything runs locally; nothing is sent anywhere.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./dist/attune_wasm.js'));
  else root.attune = factory(root.createAttuneModule);
})(typeof self !== 'undefined' ? self : this, function (createAttuneModule) {
  'use strict';

  const KINDS = { '-1': 'usage', '-2': 'instrument', '-3': 'answer', '-4': 'data', '-5': 'io', '-6': 'text_pack', '-7': 'limit', '-99': 'internal' };
  const CATEGORIES = ['secure', 'anxious', 'avoidant', 'fearful'];
  const UTF8 = new TextDecoder();

  class AttuneError extends Error {
    constructor(code, fields) {
      super(fields.message);
      this.name = 'AttuneError';
      this.code = code;                // the C ABI's stable negative code
      this.kind = KINDS[code] || 'unknown';
      Object.assign(this, fields);     // reason, expected, file, row, line, column, columnName, item, value, jsonPath
    }
  }

  class Attune {
    constructor(M) {
      this.M = M;
      const c = (name, ret, args) => M.cwrap(name, ret, args);
      this.f = {
        version: c('attune_version', 'string', []),
        disclaimer: c('attune_disclaimer', 'string', []),
        errMessage: c('attune_error_message', 'string', []),
        errReason: c('attune_error_reason', 'string', []),
        errExpected: c('attune_error_expected', 'string', []),
        errFile: c('attune_error_file', 'string', []),
        errColumnName: c('attune_error_column_name', 'string', []),
        errItem: c('attune_error_item', 'string', []),
        errValue: c('attune_error_value', 'string', []),
        errJsonPath: c('attune_error_json_path', 'string', []),
        instrumentFromJson: c('attune_instrument_from_json', 'number', ['number', 'string', 'string']),
        instrumentFree: c('attune_instrument_free', null, ['number']),
        planCompile: c('attune_plan_compile', 'number', ['number', 'number', 'number']),
        planFree: c('attune_plan_free', null, ['number']),
        planItemCount: c('attune_plan_item_count', 'number', ['number']),
        planItemId: c('attune_plan_item_id', 'string', ['number', 'number']),
        scoreJson: c('attune_score_json', 'number', ['number', 'number', 'string']),
        scoreArray: c('attune_score_array', 'number', ['number', 'number', 'number', 'number']),
        resultToJson: c('attune_result_to_json', 'number', ['number', 'number', 'number']),
        resultNormsJson: c('attune_result_norms_json', 'number', ['number', 'number', 'string', 'string', 'number']),
        resultCategory: c('attune_result_category', 'number', ['number', 'number', 'number']),
        resultPlane: c('attune_result_plane', 'number', ['number', 'number', 'number']),
        resultFree: c('attune_result_free', null, ['number']),
        stringFree: c('attune_string_free', null, ['number']),
        recommendJson: c('attune_recommend_json', 'number', ['number', 'number', 'number', 'string', 'number']),
        compareJson: c('attune_compare_json', 'number', ['number', 'string', 'string', 'number', 'string', 'number']),
        coupleJson: c('attune_couple_json', 'number', ['number', 'string', 'string', 'number', 'string', 'number']),
      };
      this.version = this.f.version();
      this.disclaimer = this.f.disclaimer();
      this.out = M._malloc(32);  // scratch for out-parameters
      this.normSets = new Set();  // ids loaded with loadNormSet()
    }

    check(rc) {
      if (rc === 0) return;
      const f = this.f;
      throw new AttuneError(rc, {
        message: f.errMessage(), reason: f.errReason(), expected: f.errExpected(), file: f.errFile(),
        columnName: f.errColumnName(), item: f.errItem(), value: f.errValue(), jsonPath: f.errJsonPath(),
      });
    }

    ptr() { return this.M.getValue(this.out, 'i32'); }

    // An instrument from its JSON text (instruments/*.json or your own file); options:
    // { profileMethod, dataScale: [min, max] }.
    loadInstrument(jsonText, sourceName, options) {
      this.check(this.f.instrumentFromJson(this.out, jsonText, sourceName || '<memory>'));
      const ins = this.ptr();
      let opts = 0;
      try {
        if (options && (options.profileMethod || options.dataScale)) {
          // attune_scoring_options, version 1 (wasm32: 7 fields of 4 bytes).
          const M = this.M;
          opts = M._malloc(28);
          const method = options.profileMethod ? this.cstr(options.profileMethod) : 0;
          M.setValue(opts, 1, 'i32');
          M.setValue(opts + 4, method, 'i32');
          M.setValue(opts + 8, options.dataScale ? options.dataScale[0] : 0, 'i32');
          M.setValue(opts + 12, options.dataScale ? options.dataScale[1] : 0, 'i32');
          M.setValue(opts + 16, 0, 'i32');
          M.setValue(opts + 20, 0, 'i32');
          M.setValue(opts + 24, 0, 'i32');
          try {
            this.check(this.f.planCompile(this.out, ins, opts));
          } finally {
            if (method) M._free(method);
          }
        } else {
          this.check(this.f.planCompile(this.out, ins, 0));
        }
        const doc = JSON.parse(jsonText);
        this.keepInstrument(doc.id, jsonText);
        return new Instrument(this, doc, this.ptr());
      } finally {
        if (opts) this.M._free(opts);
        this.f.instrumentFree(ins);
      }
    }

    // The instrument's text at /instruments/ID.json in the module's files, where the registry finds a
    // built-in id: couple() loads the results' instrument by id. None are embedded (size).
    keepInstrument(id, jsonText) {
      const FS = this.M.FS;
      if (!FS || typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id)) return;
      try { FS.mkdir('/instruments'); } catch (e) { /* already there */ }
      FS.writeFile(`/instruments/${id}.json`, jsonText);
    }

    // A norm set (docs/norms.md) from its JSON text, e.g. instruments/norms/ecr-openpsychometrics-1to5.json:
    // kept at /instruments/norms/ID.json in the module's files, where score() finds a set by id (the
    // instrument's default one, or options.normSet). None are embedded (size). Returns its id; the
    // file is checked (strictly, as the CLI reads it) when a score first uses it.
    loadNormSet(jsonText) {
      const id = JSON.parse(jsonText).id;
      if (typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id)) {
        throw new AttuneError(-1, { message: 'a norm set needs an id of letters, digits, ".", "_" or "-"', expected: 'the text of a norm-set file (docs/norms.md)' });
      }
      const FS = this.M.FS;
      for (const dir of ['/instruments', '/instruments/norms']) {
        try { FS.mkdir(dir); } catch (e) { /* already there */ }
      }
      FS.writeFile(`/instruments/norms/${id}.json`, jsonText);
      this.normSets.add(id);
      return id;
    }

    cstr(s) {
      const n = this.M.lengthBytesUTF8(s) + 1;
      const p = this.M._malloc(n);
      this.M.stringToUTF8(s, p, n);
      return p;
    }

    // A string the library allocated, decoded and freed. TextDecoder over the bytes up to the NUL
    // (found natively by indexOf): Emscripten's UTF8ToString scans for it in a JS loop, which was a
    // fifth of plan()'s time on its 50 KB.
    takeString(p) {
      const heap = this.M.HEAPU8;
      const s = UTF8.decode(heap.subarray(p, heap.indexOf(0, p)));
      this.f.stringFree(p);
      return s;
    }

    // The plan for one person (attune::recommend, the English guidance pack embedded in the module):
    // same as instrument.plan(answers, context).
    plan(instrument, answers, context) {
      return instrument.plan(answers, context);
    }

    // ---- Retakes and two partners (docs/change.md): the C ABI's compare and couple ----------------
    // A saved result is the object score() returns, or the text or parsed JSON of `attune score --json`
    // or `attune take --format json`; it goes to the library as JSON text, read as the CLI reads a file.
    resultText(r) { return typeof r === 'string' ? r : JSON.stringify(r); }

    // Two results of one person, per scale: the same document as `attune compare --format json`
    // (difference, rci, mdc95, reliable, basis, verdict). options: { sd: {scale: SD}, reliability:
    // {scale: R}, before_date, after_date: 'YYYY-MM-DD', norm_set: id (loaded with loadNormSet()),
    // convert_response_scale: 'linear' }, all optional. A norm set a result names is looked up when it
    // has been loaded with loadNormSet(), as `attune compare` looks up a shipped one.
    compare(before, after, options) {
      this.check(this.f.compareJson(this.out, this.resultText(before), this.resultText(after), 0, JSON.stringify(options || {}), -1));
      return JSON.parse(this.takeString(this.ptr()));
    }

    // Two partners' results: the same document as `attune couple --format json` (both positions with
    // their uncertainty, reliable differences, the shared plan, never a compatibility score).
    // The results' instrument must have been loaded with loadInstrument() first.
    // options: { sd, reliability, names: ['Sam', 'Alex'] }.
    couple(a, b, options) {
      this.check(this.f.coupleJson(this.out, this.resultText(a), this.resultText(b), 0, JSON.stringify(options || {}), -1));
      return JSON.parse(this.takeString(this.ptr()));
    }

    // ---- Item response theory (issue 20 §3, issue 21): one person's theta and the adaptive test ----
    // A calibration (item bank) from its JSON text, e.g. instruments/calibrations/*.json.
    loadCalibration(jsonText, sourceName) {
      return new Calibration(this, jsonText, sourceName);
    }
  }

  // ---- Item response theory: the same C ABI calls (and numbers) as C and Python ----------------
  class Calibration {
    constructor(a, jsonText, sourceName) {
      const c = (name, ret, args) => a.M.cwrap(name, ret, args);
      this.a = a;
      this.f = {
        fromJson: c('attune_calibration_from_json', 'number', ['number', 'string', 'string']),
        free: c('attune_calibration_free', null, ['number']),
        theta: c('attune_calibration_theta_json', 'number', ['number', 'number', 'string', 'string']),
        step: c('attune_cat_step_json', 'number', ['number', 'number', 'string']),
        stepArray: c('attune_cat_step', 'number', ['number', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number']),
        count: c('attune_calibration_item_count', 'number', ['number']),
        item: c('attune_calibration_item_id', 'string', ['number', 'number']),
        scales: c('attune_calibration_scale_count', 'number', ['number']),
        scale: c('attune_calibration_scale_id', 'string', ['number', 'number']),
      };
      a.check(this.f.fromJson(a.out, jsonText, sourceName || '<memory>'));
      this.handle = a.ptr();
      this.itemIds = Array.from({ length: this.f.count(this.handle) }, (_, j) => this.f.item(this.handle, j));
      this.scaleIds = Array.from({ length: this.f.scales(this.handle) }, (_, d) => this.f.scale(this.handle, d));
      this.buf = 0;
    }

    // The same step without JSON: items are bank indices (into itemIds), responses raw (NaN = skipped)
    // -> { next: bank index or -1, reason: attune_cat_stop (0 going on), theta: [...], se: [...] }.
    catStepArray(items, responses, rules) {
      const M = this.a.M, N = this.itemIds.length, S = this.scaleIds.length;
      if (!this.buf) this.buf = M._malloc(12 * N + 16 * S + 64);
      const theta = this.buf + 8 * N, se = theta + 8 * S, r = se + 8 * S, out = r + 56, its = out + 8;
      M.HEAPF64.set(responses, this.buf >> 3);
      M.HEAP32.set(items, its >> 2);
      if (rules && rules !== 'promis') {  // attune_cat_rules, version 1, wasm32 layout (56 bytes)
        const v = Object.assign({ se_target: 0.3, min_items: 4, max_items: 12, max_total: 0, min_se_change: 0, randomesque: 1, seed: 0 }, rules);
        M.HEAP32.set([1, 0], r >> 2);
        M.HEAPF64[(r + 8) >> 3] = v.se_target;
        M.HEAP32.set([v.min_items, v.max_items, v.max_total, 0], (r + 16) >> 2);
        M.HEAPF64[(r + 32) >> 3] = v.min_se_change;
        M.HEAP32.set([v.randomesque, 0, v.seed % 4294967296, Math.floor(v.seed / 4294967296)], (r + 40) >> 2);
      }
      this.a.check(this.f.stepArray(out, out + 4, theta, se, this.handle, its, this.buf, items.length, rules && rules !== 'promis' ? r : 0));
      return { next: M.HEAP32[out >> 2], reason: M.HEAP32[(out >> 2) + 1],
               theta: Array.from(M.HEAPF64.subarray(theta >> 3, (theta >> 3) + S)), se: Array.from(M.HEAPF64.subarray(se >> 3, (se >> 3) + S)) };
    }

    // { q1: 4, q2: null, ... } -> { scales: { anxiety: { theta, se, answered }, ... }, method }.
    theta(answers, method) {
      const a = this.a;
      a.check(this.f.theta(a.out, this.handle, JSON.stringify(answers), method || 'eap'));
      return JSON.parse(a.takeString(a.ptr()));
    }

    // One stateless adaptive step: answers [[id, response or null], ...]; rules 'promis' or an object
    // (se_target, min_items, max_items, max_total, min_se_change, randomesque, seed).
    catStep(answers, rules) {
      const a = this.a;
      a.check(this.f.step(a.out, this.handle, JSON.stringify({ answers, rules: rules || 'promis' })));
      return JSON.parse(a.takeString(a.ptr()));
    }

    free() {
      this.f.free(this.handle);
      if (this.buf) this.a.M._free(this.buf);
      this.handle = this.buf = 0;
    }
  }

  // { gender: 'female', age: 30 } -> "gender=female,age=30", as the CLI's --norm-group (a string passes as it is).
  function normGroupText(g) {
    if (g === undefined || g === null) return '';
    if (typeof g === 'string') return g;
    const parts = [];
    if (g.gender !== undefined && g.gender !== null) parts.push(`gender=${g.gender}`);
    if (g.age !== undefined && g.age !== null) parts.push(`age=${g.age}`);
    return parts.join(',');
  }

  class Instrument {
    constructor(a, doc, plan) {
      this.a = a;
      this.doc = doc;
      this.handle = plan;
      this.id = doc.id;
      this.name = doc.name;
      this.responseScale = doc.response_scale;
      this.items = doc.items.map((it) => ({ id: it.id, position: it.position, label: it.label }));
      this.buffer = 0;
      // Item id -> index in plan order, built once: score() and plan() place answers with it.
      this.index = new Map();
      for (let i = 0; i < this.items.length; ++i) this.index.set(a.f.planItemId(plan, i), i);
    }

    // Places an answers object in the module's memory in item order (NaN = missing), as the JSON
    // reader would read JSON.stringify(answers). Returns false for anything only that reader judges
    // (a position as key, an unknown item, a value that is not a number, null or undefined), so it
    // answers or refuses those exactly as before.
    place(answers) {
      if (answers === null || typeof answers !== 'object' || Array.isArray(answers) || typeof answers.toJSON === 'function') return false;
      const M = this.a.M, n = this.items.length;
      if (!this.buffer) this.buffer = M._malloc(8 * (n + 4));
      const heap = M.HEAPF64, base = this.buffer >> 3;
      heap.fill(NaN, base, base + n);
      for (const key of Object.keys(answers)) {
        const i = this.index.get(key);
        if (i === undefined) return false;
        const v = answers[key];
        if (typeof v === 'number') heap[base + i] = Number.isFinite(v) ? v + 0 : NaN;  // JSON writes NaN, Infinity as null; -0 as 0
        else if (v !== null && v !== undefined) return false;
      }
      return true;
    }

    // A result handle for these answers: the array path when place() can, else the JSON reader.
    scored(answers) {
      const a = this.a;
      if (this.place(answers) && a.f.scoreArray(a.out, this.handle, this.buffer, this.items.length) === 0) return a.ptr();
      a.check(a.f.scoreJson(a.out, this.handle, JSON.stringify(answers)));
      return a.ptr();
    }

    // answers: { q1: 5, "2": 3, q3: null }: item ids or position numbers; null/absent = missing.
    // Returns the whole result (as `attune score --json`), profile included. options (docs/norms.md):
    // { normGroup: { gender: 'female' | 'male', age: 30 } (either may be left out), normSet: id | 'none',
    // convertResponseScale: 'linear' } add the `norms` member of `attune score --json --norm-group ...`
    // (the set loaded with loadNormSet() first). Without options, the member comes when the
    // instrument's default set has been loaded and applies (answers on its response scale), as the CLI's.
    score(answers, options) {
      const a = this.a;
      const res = this.scored(answers);
      try {
        a.check(a.f.resultToJson(a.out, res, -1));
        const doc = JSON.parse(a.takeString(a.ptr()));
        const norms = this.norms(res, options || {});
        if (norms) doc.norms = norms;
        return doc;
      } finally {
        a.f.resultFree(res);
      }
    }

    // The "norms" object for a result handle, or null where no set applies or none is asked for.
    norms(res, options) {
      const a = this.a;
      const asked = options.normGroup !== undefined || options.normSet !== undefined || options.convertResponseScale !== undefined;
      const byDefault = this.doc.norms && a.normSets.has(this.doc.norms.default_set);
      if (!asked && !byDefault) return null;
      const convert = options.convertResponseScale;
      if (convert !== undefined && convert !== 'linear') {
        throw new AttuneError(-1, { message: `convertResponseScale '${convert}' is unknown`, value: String(convert), expected: "'linear'" });
      }
      a.check(a.f.resultNormsJson(a.out, res, options.normSet || '', normGroupText(options.normGroup), convert === 'linear' ? 1 : 0));
      return JSON.parse(a.takeString(a.ptr()));
    }

    // The recommendation plan for these answers (the JSON of `attune plan --format json`): focus steps
    // with why each was chosen, scripts, the 30-day schedule, more_help when the care rule fires, and
    // the disclaimer, which must be shown with it. context: { stage, parent, partnered, start }, all
    // optional (stage: single, dating, long_term, parenting, separating; start: 'YYYY-MM-DD').
    plan(answers, context) {
      const a = this.a;
      const res = this.scored(answers);
      try {
        a.check(a.f.recommendJson(a.out, res, 0, JSON.stringify(context || {}), -1));
        return JSON.parse(a.takeString(a.ptr()));
      } finally {
        a.f.resultFree(res);
      }
    }

    // Fast path: answers in item order (NaN = missing) -> { categoryMask, anxiety, avoidance }.
    scoreArray(values) {
      const a = this.a, M = a.M, n = this.items.length;
      if (!this.buffer) this.buffer = M._malloc(8 * (n + 4));
      M.HEAPF64.set(values, this.buffer >> 3);
      a.check(a.f.scoreArray(a.out, this.handle, this.buffer, n));
      const res = a.ptr();
      try {
        const p = this.buffer + 8 * n;
        a.check(a.f.resultPlane(p, p + 8, res));
        a.check(a.f.resultCategory(p + 16, 0, res));
        return { anxiety: M.HEAPF64[p >> 3], avoidance: M.HEAPF64[(p >> 3) + 1], categoryMask: M.getValue(p + 16, 'i32') >>> 0 };
      } finally {
        a.f.resultFree(res);
      }
    }

    free() {
      this.a.f.planFree(this.handle);
      if (this.buffer) this.a.M._free(this.buffer);
      this.handle = 0;
      this.buffer = 0;
    }
  }

  async function load(moduleOptions) {
    return new Attune(await createAttuneModule(moduleOptions || {}));
  }

  return { load, AttuneError, CATEGORIES };
});
