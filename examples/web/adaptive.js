// The demo's adaptive mode (issue 21): the original ECR's item bank (instruments/calibrations/
// ecr-openpsychometrics-1to5.json) asks one question at a time, each chosen by attune's adaptive step
// (catStep) from the answers so far, on a 1..5 scale; the wording stays the loaded text pack's (the
// FAKE one in the demo). The result is theta and its uncertainty per scale, and a retake is compared
// with the earlier adaptive result kept on this device through attune's compare (Jacobson & Truax:
// a reliable change, or a change within measurement error, from the theta SEs).
'use strict';
const CAL_ID = 'ecr-openpsychometrics-1to5';
const ADAPTIVE_HISTORY = 'attune-demo/ecr-adaptive/history';
const SCALE_NAMES = { anxiety: 'Anxiety', avoidance: 'Avoidance' };
let MODE = 'full', ECR = null, CAL = null, catAnswers = [], catNow = null;

const adaptiveStore = {
  get() { try { return JSON.parse(localStorage.getItem(ADAPTIVE_HISTORY) || '[]'); } catch (e) { return []; } },
  set(v) { try { localStorage.setItem(ADAPTIVE_HISTORY, JSON.stringify(v)); } catch (e) { /* not kept */ } },
};

async function loadBank() {
  if (CAL) return;
  const get = async (p) => (await fetch(p)).text();
  ECR = A.loadInstrument(await get('../../instruments/ecr.json'), 'ecr.json', { dataScale: [1, 5] });
  CAL = A.loadCalibration(await get(`../../instruments/calibrations/${CAL_ID}.json`), `${CAL_ID}.json`);
}

// The anchor of answer v on 1..5 where it falls exactly on the pack's 1..7 (1, 3 and 5).
function anchor5(v) {
  const at = 1 + (v - 1) * 1.5;
  return Number.isInteger(at) && PACK.anchors[String(at)] ? ` ${PACK.anchors[String(at)]}` : '';
}

function showAdaptiveItem(focus) {
  catNow = CAL.catStep(catAnswers);
  if (catNow.stop) { finishAdaptive(); return; }
  const id = catNow.next_item, k = catAnswers.length + 1;
  $('item-text').textContent = `${k}. ${PACK.items[id]}`;
  $('item-text').dataset.item = id;
  const box = $('options');
  box.textContent = '';
  for (let v = 1; v <= 5; ++v) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio'; input.name = 'answer'; input.value = String(v); input.id = `${id}-${v}`;
    label.appendChild(input);
    label.appendChild(document.createTextNode(`${v}${anchor5(v)}`));
    box.appendChild(label);
  }
  $('prompt').textContent = '';
  $('back').disabled = catAnswers.length === 0;
  $('next').textContent = 'Next';
  $('progress').max = 24;  // the preset's most: 12 per scale
  $('progress').value = catAnswers.length;
  $('progress-text').textContent = `Question ${k}, ${catAnswers.length} answered (adaptive: it stops once each scale is measured closely enough, at most 24)`;
  if (focus) $('item-text').focus();
}

async function startAdaptive() {
  try {
    await loadBank();
  } catch (e) {
    $('prompt').textContent = `The adaptive version could not start: ${e.message}`;
    return;
  }
  MODE = 'adaptive';
  catAnswers = [];
  $('mode-text').textContent = 'Adaptive version: the questions of the original ECR, one at a time, each chosen from your answers so far (usually about half of them), answered from 1 to 5.';
  $('adaptive-start').hidden = true;
  $('full-start').hidden = false;
  $('resumed').textContent = '';
  $('forget-status').textContent = '';
  $('results').hidden = true;
  $('again').hidden = true;
  $('adaptive-results').hidden = true;
  $('survey').hidden = false;
  showAdaptiveItem(true);
}

function stopAdaptive() {
  MODE = 'full';
  delete $('item-text').dataset.item;
  $('mode-text').textContent = 'All 36 questions of the ECR-R, answered from 1 to 7.';
  $('adaptive-start').hidden = false;
  $('full-start').hidden = true;
  $('adaptive-results').hidden = true;
  beginSurvey();
}

function adaptiveSubmit() {
  const chosen = $('options').querySelector('input:checked');
  if (!chosen) {
    $('prompt').textContent = 'Please choose one answer to go on: every question counts towards the result.';
    $('options').querySelector('input').focus();
    return;
  }
  catAnswers.push([catNow.next_item, Number(chosen.value)]);
  showAdaptiveItem(true);
}

function adaptiveBack() {
  if (catAnswers.length) catAnswers.pop();
  showAdaptiveItem(true);
}

const today = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };

// A saved result as `attune score --json --irt` and `take` write it: the scores of the answered
// items, the day taken, and theta with its SE per scale, which compare uses for the SEM.
function savedResult() {
  const r = ECR.score(Object.fromEntries(catAnswers));
  const irt = { calibration: CAL_ID };
  for (const [id, s] of Object.entries(catNow.scales)) { irt[`${id}_theta`] = s.theta; irt[`${id}_theta_se`] = s.se; }
  return Object.assign(r, { taken: today(), irt });
}

function cell(tr, tag, text) { const c = document.createElement(tag); c.textContent = text; if (tag === 'th') c.scope = 'row'; tr.appendChild(c); }

// What the change means, on its own row under the numbers (narrow screens keep all columns readable).
function verdictRow(text, span) {
  const tr = document.createElement('tr'), td = document.createElement('td');
  td.colSpan = span; td.className = 'verdict'; td.textContent = text;
  tr.appendChild(td);
  return tr;
}

function showThetas() {
  const body = $('adaptive-scores');
  body.textContent = '';
  for (const [id, s] of Object.entries(catNow.scales)) {
    const tr = document.createElement('tr');
    cell(tr, 'th', SCALE_NAMES[id] || id);
    cell(tr, 'td', fmt(s.theta, 2));
    cell(tr, 'td', `${fmt(s.theta - 1.96 * s.se, 2)} to ${fmt(s.theta + 1.96 * s.se, 2)}`);
    cell(tr, 'td', String(s.asked));
    body.appendChild(tr);
  }
}

// The change since the earlier adaptive result, as attune's compare judges it.
function showAdaptiveComparison(earlier, now) {
  const body = $('adaptive-compare-body');
  body.textContent = '';
  delete body.dataset.compare;
  const p = (text) => { const e = document.createElement('p'); e.textContent = text; body.appendChild(e); };
  if (!earlier) {
    p('This is the first adaptive result kept on this device. If you take the adaptive version again here later, the change will show here.');
    return;
  }
  const c = A.compare(earlier, now);
  const table = document.createElement('table');
  table.innerHTML = '<caption>Change since your earlier adaptive result</caption><tr><th scope="col"></th><th scope="col">Earlier</th><th scope="col">Now</th><th scope="col">Change</th></tr>';
  for (const s of c.scales) {
    const tr = document.createElement('tr');
    cell(tr, 'th', SCALE_NAMES[s.id] || s.label);
    cell(tr, 'td', fmt(s.before, 2));
    cell(tr, 'td', fmt(s.after, 2));
    cell(tr, 'td', s.difference === null ? '-' : `${s.difference > 0 ? '+' : ''}${fmt(s.difference, 2)}`);
    tr.dataset.verdict = s.verdict;
    table.appendChild(tr);
    table.appendChild(verdictRow(s.verdict_text, 4));
  }
  body.appendChild(table);
  if (c.interval_warning) p(c.interval_warning);
  p(c.disclaimer);
  body.dataset.compare = JSON.stringify(c);
  body.dataset.earlier = JSON.stringify(earlier);
}

function finishAdaptive() {
  const now = savedResult();
  const history = adaptiveStore.get();
  showThetas();
  $('adaptive-reason').textContent = `The test stopped after ${catAnswers.length} questions: ${catNow.reason === 'se_target' ? 'each scale was measured closely enough' : 'it reached its limit'}.`;
  showAdaptiveComparison(history.length ? history[history.length - 1] : null, now);
  adaptiveStore.set(history.concat([now]).slice(-10));
  const res = $('adaptive-results');
  res.dataset.saved = JSON.stringify(now);
  res.dataset.asked = JSON.stringify(catAnswers.map((x) => x[0]));
  res.dataset.scales = JSON.stringify(catNow.scales);
  $('survey').hidden = true;
  res.hidden = false;
  res.focus();
}

$('adaptive-start').addEventListener('click', startAdaptive);
$('full-start').addEventListener('click', stopAdaptive);
$('adaptive-again').addEventListener('click', startAdaptive);
