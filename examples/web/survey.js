// The demo survey (examples/web/index.html): one question at a time, every question required, answers
// and results kept in this browser's localStorage so a person can stop and come back, and a result
// whose headline is the plan's own. Everything runs here; nothing is sent.
'use strict';
const NAMES = { secure: 'secure', anxious: 'anxious (preoccupied)', avoidant: 'avoidant (dismissing)', fearful: 'fearful-avoidant' };
// The plan counts a point within this distance of a boundary as between patterns when the confidence
// is unknown (attune::CareThresholds::boundary_margin, docs/guidance.md): the band drawn on the plane.
const BOUNDARY_MARGIN = 0.25;
let A = null, INS = null, PACK = null, answers = {}, pos = 0;
const $ = (id) => document.getElementById(id);
const fmt = (x, d = 3) => (x === null || x === undefined) ? '-' : Number(x).toFixed(d);
function setNum(id, x) { $(id).textContent = fmt(x); $(id).dataset.value = x === null ? '' : String(x); }

// localStorage can be missing or refuse (private windows, full storage): the survey then works
// without resuming.
const store = {
  key: (what) => `attune-demo/${INS.id}/${what}`,
  get(what, fallback) { try { const v = localStorage.getItem(this.key(what)); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; } },
  set(what, v) { try { localStorage.setItem(this.key(what), JSON.stringify(v)); } catch (e) { /* not kept */ } },
  remove(what) { try { localStorage.removeItem(this.key(what)); } catch (e) { /* nothing kept */ } },
};

async function start() {
  A = await attune.load();
  const text = await (await fetch('../../instruments/ecr-r.json')).text();
  INS = A.loadInstrument(text, 'ecr-r.json');
  document.body.dataset.ready = '1';
}

function checkPack(p) {
  if (!p || p.format !== 'attune-text-pack/1') throw new Error('not an attune text pack (format attune-text-pack/1)');
  if (p.instrument !== INS.id) throw new Error(`this text pack is for '${p.instrument}', not '${INS.id}'`);
  const missing = INS.items.filter((it) => !p.items || typeof p.items[it.id] !== 'string');
  if (missing.length) throw new Error(`no wording for ${missing.length} item(s), e.g. ${missing[0].id}`);
  for (let v = INS.responseScale.min; v <= INS.responseScale.max; ++v) {
    if (!p.anchors || typeof p.anchors[String(v)] !== 'string') throw new Error(`no anchor for answer ${v}`);
  }
}

const answeredCount = () => INS.items.filter((it) => answers[it.id] != null).length;
const firstMissing = () => INS.items.findIndex((it) => answers[it.id] == null);

function showItem(i, focus) {
  pos = i;
  const it = INS.items[i], n = INS.items.length;
  $('item-text').textContent = `${i + 1}. ${PACK.items[it.id]}`;
  const box = $('options');
  box.textContent = '';
  for (let v = INS.responseScale.min; v <= INS.responseScale.max; ++v) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio'; input.name = 'answer'; input.value = String(v); input.id = `${it.id}-${v}`;
    input.checked = answers[it.id] === v;
    label.appendChild(input);
    label.appendChild(document.createTextNode(`${v} ${PACK.anchors[String(v)]}`));
    box.appendChild(label);
  }
  $('prompt').textContent = '';
  $('back').disabled = i === 0;
  $('next').textContent = i === n - 1 ? 'See my result' : 'Next';
  showProgress();
  if (answeredCount() > 0) store.set('answers', { answers, pos });
  if (focus) $('item-text').focus();
}

function showProgress() {
  const n = INS.items.length, done = answeredCount();
  $('progress').max = n;
  $('progress').value = done;
  $('progress-text').textContent = `Question ${pos + 1} of ${n}, ${done} answered`;
}

function beginSurvey() {
  const saved = store.get('answers', null);
  answers = saved && saved.answers ? saved.answers : {};
  const done = answeredCount();
  const missing = firstMissing();
  $('resumed').textContent = done === 0 ? ''
    : missing >= 0 ? `Welcome back: your ${done} earlier answers were kept on this device, so you can carry on from question ${missing + 1}.`
      : 'Welcome back: all your answers were kept on this device; "See my result" shows the result again.';
  $('survey').hidden = false;
  $('results').hidden = true;
  showItem(missing >= 0 ? missing : INS.items.length - 1, false);
}

$('textpack').addEventListener('change', async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  try {
    PACK = JSON.parse(await file.text());
    checkPack(PACK);
    $('pack-status').textContent = `Loaded ${file.name} (${PACK.lang}).`;
    $('pack-status').className = '';
    $('instructions').textContent = PACK.instructions || '';
    beginSurvey();
  } catch (e) {
    $('pack-status').textContent = `Cannot use ${file.name}: ${e.message}`;
    $('pack-status').className = 'error';
  }
});

$('options').addEventListener('change', (ev) => {
  if (MODE === 'adaptive') { $('prompt').textContent = ''; return; }  // adaptive.js reads the choice on Next
  answers[INS.items[pos].id] = Number(ev.target.value);
  $('prompt').textContent = '';
  showProgress();
  store.set('answers', { answers, pos });
});

$('back').addEventListener('click', () => { if (MODE === 'adaptive') adaptiveBack(); else if (pos > 0) showItem(pos - 1, true); });

$('item-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (MODE === 'adaptive') { adaptiveSubmit(); return; }
  if (answers[INS.items[pos].id] == null) {
    $('prompt').textContent = 'Please choose one answer to go on: every question counts towards the result.';
    $('options').querySelector('input').focus();
    return;
  }
  if (pos < INS.items.length - 1) { showItem(pos + 1, true); return; }
  const missing = firstMissing();
  if (missing >= 0) {
    showItem(missing, true);
    $('prompt').textContent = `Question ${missing + 1} still needs an answer before the result.`;
    return;
  }
  finish();
});

$('again').addEventListener('click', () => {
  answers = {};
  store.remove('answers');
  $('results').hidden = true;
  $('again').hidden = true;
  $('survey').hidden = false;
  $('resumed').textContent = '';
  showItem(0, true);
});

$('forget').addEventListener('click', () => {
  answers = {};
  if (INS) { store.remove('answers'); store.remove('history'); }
  try { localStorage.removeItem(ADAPTIVE_HISTORY); } catch (e) { /* nothing kept */ }
  if (MODE === 'adaptive') stopAdaptive();
  $('results').hidden = true;
  $('adaptive-results').hidden = true;
  $('again').hidden = true;
  $('resumed').textContent = '';
  $('couple-theirs').value = '';
  $('couple').hidden = true;
  $('forget-status').textContent = 'Your answers and earlier results are no longer kept on this device.';
  if (PACK) { $('survey').hidden = false; showItem(0, true); }
});

function planePoint(svg, x, y, attrs) {
  const c = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
  c.setAttribute('cx', x); c.setAttribute('cy', y);
  for (const [k, v] of Object.entries(attrs)) c.setAttribute(k, v);
  svg.appendChild(c);
}

// The plane's frame, for the person's plane and the couple view: x = avoidance, y = anxiety (up),
// standardized, the four patterns in the quadrants; with `band`, the shaded cross where the plan
// reads a point as between patterns. PLANE_R is the half-width drawn, PLANE_UNIT one unit of the plane.
const PLANE_R = 140, PLANE_UNIT = PLANE_R / 1.2;
const planeClamp = (v) => Math.max(-1.2, Math.min(1.2, v));
function planeFrame(descId, band) {
  const R = PLANE_R, b = BOUNDARY_MARGIN * PLANE_UNIT;
  return `<desc id="${descId}"></desc>
    <rect x="-${R}" y="-${R}" width="${2 * R}" height="${2 * R}" fill="#fafafa" stroke="#767676"/>
    ${band ? `<rect x="-${b}" y="-${R}" width="${2 * b}" height="${2 * R}" fill="#e3e3e3"/><rect x="-${R}" y="-${b}" width="${2 * R}" height="${2 * b}" fill="#e3e3e3"/>` : ''}
    <line x1="-${R}" y1="0" x2="${R}" y2="0" stroke="#767676"/><line x1="0" y1="-${R}" x2="0" y2="${R}" stroke="#767676"/>
    <text x="-${R - 6}" y="${R - 8}" font-size="12">secure</text>
    <text x="-${R - 6}" y="-${R - 16}" font-size="12">anxious</text>
    <text x="${R - 6}" y="${R - 8}" font-size="12" text-anchor="end">avoidant</text>
    <text x="${R - 6}" y="-${R - 16}" font-size="12" text-anchor="end">fearful</text>
    <text x="0" y="${R + 17}" font-size="12" text-anchor="middle">avoidance &#8594;</text>
    <text x="-${R + 8}" y="0" font-size="12" text-anchor="middle" transform="rotate(-90 -${R + 8} 0)">anxiety &#8594;</text>`;
}

// The person's point; an earlier result is a hollow circle.
function drawPlane(plane, band, earlier) {
  const svg = $('plane'), s = PLANE_UNIT, cl = planeClamp;
  svg.innerHTML = planeFrame('plane-desc', band);
  if (earlier) planePoint(svg, cl(earlier.avoidance) * s, -cl(earlier.anxiety) * s, { id: 'earlier-point', r: 6, fill: 'none', stroke: '#555', 'stroke-width': 2 });
  planePoint(svg, cl(plane.avoidance) * s, -cl(plane.anxiety) * s, { id: 'point', r: 7, fill: '#b22222', stroke: '#fff', 'stroke-width': 2 });
  $('plane-desc').textContent = `Your point on the anxiety and avoidance plane: anxiety ${fmt(plane.anxiety, 2)}, avoidance ${fmt(plane.avoidance, 2)}` +
    (band ? `; the grey band marks points within ${BOUNDARY_MARGIN} of a boundary, read as between patterns` : '') +
    (earlier ? `; the hollow circle is your earlier result (anxiety ${fmt(earlier.anxiety, 2)}, avoidance ${fmt(earlier.avoidance, 2)})` : '') + '.';
}

function showPlan(plan) {
  // Built with DOM nodes and textContent only: the plan's texts are data, never markup.
  const root = $('plan');
  root.textContent = '';
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
  const block = (title, cls) => { const d = el('div', '', cls); d.appendChild(el('h4', title)); root.appendChild(d); return d; };
  // A care plan leads with more help (built first, so it is above the focus steps).
  const help = plan.more_help ? block('Consider more help', 'plan-more-help') : null;
  if (help) {
    help.appendChild(el('p', plan.more_help.why.text));
    const ul = el('ul');
    for (const it of plan.more_help.items) {
      const li = el('li');
      if (it.title && it.title !== it.id) li.appendChild(el('strong', it.title));
      for (const b of it.body || []) li.appendChild(el('div', b.text));
      ul.appendChild(li);
    }
    help.appendChild(ul);
  }
  const focus = block('Where to start', 'plan-focus');
  const ol = el('ol');
  for (const f of plan.focus) {
    const li = el('li', '', 'plan-step');
    li.appendChild(el('strong', f.title));
    li.appendChild(el('div', f.why.text, 'plan-why'));
    ol.appendChild(li);
  }
  focus.appendChild(ol);
  root.appendChild(el('p', plan.disclaimer, 'plan-disclaimer'));
  root.dataset.plan = JSON.stringify({ focus: plan.focus.map((f) => f.id), more_help: !!plan.more_help, disclaimer: plan.disclaimer });
}

// The pattern line under the headline says what the plan says: a pattern only when the plan chose
// one, the neighbouring patterns when it reads the point as between them.
function nearestText(r, plan) {
  const names = (cats) => cats.map((c) => NAMES[c] || c).join(', ');
  if (plan.profile.mode === 'pattern' && r.profile.category) return `Closest pattern: ${names(r.profile.category.split('|'))}.`;
  if (plan.profile.mode === 'mix') {
    return `Your point lies close to a boundary between patterns, so the plan draws on the neighbouring ones (${names(plan.profile.neighbours)}) rather than naming one.`;
  }
  return 'There were too few answers to place a point on the plane; the plan below is a general one.';
}

function showComparison(earlier, now) {
  const body = $('compare-body');
  body.textContent = '';
  const p = (text) => { const e = document.createElement('p'); e.textContent = text; body.appendChild(e); return e; };
  if (!earlier) {
    p('This is the first result kept on this device. If you answer again here later, the change will show here.');
    return;
  }
  const when = new Date(earlier.at).toLocaleDateString();
  // attune's compare (Jacobson & Truax) says whether a change is more than measurement error; results
  // kept before it was used here have no saved result and show the numbers only.
  const c = earlier.result && now.result ? A.compare(earlier.result, now.result) : null;
  const verdict = (id) => (c ? c.scales.find((s) => s.id === id).verdict_text : '');
  const table = document.createElement('table');
  table.innerHTML = '<tr><th scope="col"></th><th scope="col">Earlier</th><th scope="col">Now</th><th scope="col">Change</th></tr>';
  for (const [label, k, id] of [['Anxiety (mean)', 'anxiety_raw', 'anxiety'], ['Avoidance (mean)', 'avoidance_raw', 'avoidance']]) {
    const tr = document.createElement('tr');
    const diff = now[k] - earlier[k];
    const cells = [label, fmt(earlier[k], 2), fmt(now[k], 2), `${diff > 0 ? '+' : ''}${fmt(diff, 2)}`];
    for (const t of cells) {
      const td = document.createElement(t === label ? 'th' : 'td');
      if (t === label) td.scope = 'row';
      td.textContent = t;
      tr.appendChild(td);
    }
    table.appendChild(tr);
    if (c) table.appendChild(verdictRow(verdict(id), 4));
  }
  p(`Your earlier result on this device is from ${when}; on the plane it is the hollow circle.`);
  body.appendChild(table);
  if (c && c.interval_warning) p(c.interval_warning);
  p('Small differences between two takes can be day-to-day variation; change shows most clearly over weeks and months.');
  body.dataset.earlier = JSON.stringify(earlier);
  if (c) { body.dataset.compare = JSON.stringify(c); body.dataset.now = JSON.stringify(now.result); }
}

function finish() {
  let r, plan;
  try {
    const t0 = performance.now();
    r = INS.score(answers);
    plan = INS.plan(answers, {});
    $('timing').textContent = `Your answers were scored, and the plan made, in ${(performance.now() - t0).toFixed(1)} ms on this device.`;
  } catch (e) {
    $('prompt').textContent = `Something went wrong while scoring: ${e.message}`;
    return;
  }
  const raw = (id) => r.scales.find((s) => s.id === id).raw;
  setNum('anxiety-raw', raw('anxiety'));
  setNum('avoidance-raw', raw('avoidance'));
  for (const k of ['secure', 'anxious', 'avoidant', 'fearful']) setNum(`dim-${k}`, r.profile.dimensions[k]);
  const cat = r.profile.category;
  $('category').textContent = cat ? cat.split('|').map((c) => NAMES[c]).join(' / ') : 'not available';
  $('category').dataset.value = cat || '';
  $('headline').textContent = plan.headline;
  $('nearest').textContent = nearestText(r, plan);
  // A confidence is shown only where the library computed one; otherwise the person reads why in
  // "How sure is the placement?" (the library's basis is written for researchers).
  const band = r.profile.confidence === null;
  $('confidence-line').hidden = band;
  $('confidence').textContent = band ? '' : `${(100 * r.profile.confidence).toFixed(0)}%`;
  $('confidence').dataset.value = band ? '' : String(r.profile.confidence);
  $('uncertainty').textContent = band
    ? 'How sure is the placement? Every questionnaire score carries some uncertainty, and there is no published figure for how precise this questionnaire\'s scores are. So the grey band on the plane shows where a point counts as between patterns: there, the plan does not name one pattern.'
    : `How sure is the placement? The confidence that the point lies in its quadrant is ${(100 * r.profile.confidence).toFixed(0)}%.`;
  const history = store.get('history', []);
  const earlier = history.length ? history[history.length - 1] : null;
  if (r.profile.plane && r.profile.plane.anxiety !== null) drawPlane(r.profile.plane, band, earlier && earlier.plane);
  const now = { at: new Date().toISOString(), anxiety_raw: raw('anxiety'), avoidance_raw: raw('avoidance'), plane: r.profile.plane, headline: plan.headline,
    result: Object.assign({}, r, { taken: today() }) };
  showComparison(earlier, now);
  coupleOffer(now.result);
  store.set('history', history.concat([now]).slice(-10));
  showPlan(plan);
  $('disclaimer').textContent = r.disclaimer;
  $('survey').hidden = true;
  $('results').hidden = false;
  $('again').hidden = false;
  $('results').dataset.result = JSON.stringify(r);
  $('results').focus();
}

start().catch((e) => { $('pack-status').textContent = `attune did not start: ${e.message}`; $('pack-status').className = 'error'; });
