// The demo's view for two partners (issue 22 §4): this device's result and one the other partner chose
// to share (pasted, or loaded from a file), through attune's couple (the same document as `attune
// couple --format json`): both points on one plane with their uncertainty, how far apart the two are
// on each dimension, and the practices for two. Never a compatibility score; not a diagnosis. The
// partner's result stays in this page's memory only: it is never stored or sent.
'use strict';
const SVG_NS = 'http://www.w3.org/2000/svg';

// Called by survey.js when this device has a result: it is what this partner can share.
function coupleOffer(result) {
  $('couple').hidden = false;
  $('couple-mine').value = JSON.stringify(result);
  $('couple-body').hidden = true;
  $('couple-status').textContent = '';
}

function coupleEl(tag, text, cls) {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// Raw score -> plane coordinate: the same linear map as each result's own plane (the two points give
// its slope; with equal scores, half the response range is the unit, as the quadrant method uses).
function planeMap(c) {
  const [a, b] = c.people;
  const span = a.anxiety.score - b.anxiety.score;
  const slope = Math.abs(span) > 1e-9 ? (a.plane.anxiety - b.plane.anxiety) / span : 2 / (c.response_scale.max - c.response_scale.min);
  return (person, dim, x) => person.plane[dim] + (x - person[dim].score) * slope;
}

function coupleMark(svg, tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  svg.appendChild(e);
  return e;
}

// Both points; a 95% interval as a cross of bars where the measurement error is known, else the grey
// band where a point counts as between patterns (as on the person's own plane).
function drawCouplePlane(c) {
  const svg = $('couple-plane'), s = PLANE_UNIT, cl = planeClamp;
  const known = c.people.every((p) => p.anxiety.ci95 && p.avoidance.ci95);
  svg.innerHTML = planeFrame('couple-plane-desc', !known);
  const map = planeMap(c);
  const styles = [{ fill: '#b22222', stroke: '#fff' }, { fill: '#1f5f8b', stroke: '#fff' }];
  c.people.forEach((p, i) => {
    const x = cl(p.plane.avoidance) * s, y = -cl(p.plane.anxiety) * s, colour = styles[i].fill;
    if (known) {
      const [v0, v1] = p.avoidance.ci95.map((v) => cl(map(p, 'avoidance', v)) * s);
      const [a0, a1] = p.anxiety.ci95.map((v) => -cl(map(p, 'anxiety', v)) * s);
      coupleMark(svg, 'line', { x1: v0, y1: y, x2: v1, y2: y, stroke: colour, 'stroke-width': 2, class: 'interval' });
      coupleMark(svg, 'line', { x1: x, y1: a0, x2: x, y2: a1, stroke: colour, 'stroke-width': 2, class: 'interval' });
    }
    const shape = i === 0 ? coupleMark(svg, 'circle', { cx: x, cy: y, r: 8 })
      : coupleMark(svg, 'rect', { x: x - 7, y: y - 7, width: 14, height: 14 });
    shape.setAttribute('fill', colour); shape.setAttribute('stroke', styles[i].stroke); shape.setAttribute('stroke-width', 2);
    shape.setAttribute('class', 'couple-point');
  });
  $('couple-plane-desc').textContent = c.people.map((p, i) => `${p.name} (${i === 0 ? 'red circle' : 'blue square'}): anxiety ${fmt(p.anxiety.score, 2)}, avoidance ${fmt(p.avoidance.score, 2)}`).join('; ') +
    (known ? '; the bars are each 95% interval.' : '; the grey band marks where a point counts as between patterns.');
  return known;
}

function coupleLegend(c, known) {
  const ul = coupleEl('ul', '', 'couple-legend');
  const range = `${c.response_scale.min} to ${c.response_scale.max}`;
  c.people.forEach((p, i) => {
    const ci = (d) => (p[d].ci95 ? ` (95% interval ${fmt(p[d].ci95[0], 2)} to ${fmt(p[d].ci95[1], 2)})` : '');
    ul.appendChild(coupleEl('li', `${i === 0 ? 'Red circle' : 'Blue square'}, ${p.name}: anxiety ${fmt(p.anxiety.score, 2)}${ci('anxiety')}, avoidance ${fmt(p.avoidance.score, 2)}${ci('avoidance')}, on the ${range} scale.`));
  });
  const out = [ul];
  out.push(coupleEl('p', known
    ? 'How sure are these places? Each bar shows the range where that score would most likely fall if it were measured again.'
    : 'How sure are these places? Every questionnaire score carries some uncertainty, and there is no published figure for how precise this questionnaire\'s scores are. So the grey band shows where a point counts as between patterns, rather than a range around each point.', 'note'));
  return out;
}

function showCouple(c) {
  const body = $('couple-body');
  body.hidden = false;
  $('couple-not-a-score').textContent = c.not_a_score;
  const known = drawCouplePlane(c);
  const more = $('couple-more');
  more.textContent = '';
  for (const e of coupleLegend(c, known)) more.appendChild(e);
  if (c.care) {
    const care = coupleEl('div', '', 'plan-more-help');
    care.appendChild(coupleEl('p', c.care.text));
    care.appendChild(coupleEl('p', c.care.crisis));
    more.appendChild(care);
  }
  more.appendChild(coupleEl('h4', 'How far apart you are'));
  const diffs = coupleEl('ul', '', 'couple-differences');
  for (const d of c.differences) diffs.appendChild(coupleEl('li', d.text));
  more.appendChild(diffs);
  more.appendChild(coupleEl('h4', 'Practices for the two of you'));
  const ol = coupleEl('ol');
  for (const p of c.practices) {
    const li = coupleEl('li', '', 'plan-step couple-practice');
    li.appendChild(coupleEl('strong', p.title));
    for (const why of p.why) li.appendChild(coupleEl('div', why, 'plan-why'));
    ol.appendChild(li);
  }
  more.appendChild(ol);
  body.dataset.couple = JSON.stringify(c);
}

function coupleNames() {
  const a = $('couple-name-a').value.trim(), b = $('couple-name-b').value.trim();
  return a || b ? [a || 'Partner A', b || 'Partner B'] : null;
}

// Copying needs the clipboard (a secure page); where it is refused, the text is selected to copy by hand.
$('couple-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('couple-mine').value);
    $('couple-copied').textContent = 'Copied. Send it to your partner in whatever way you both trust.';
  } catch (e) {
    $('couple-mine').closest('details').open = true;
    $('couple-mine').select();
    $('couple-copied').textContent = 'Your browser did not allow copying here: the text is selected below, to copy by hand.';
  }
});

$('couple-save').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([$('couple-mine').value], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url; a.download = 'my-attune-result.json';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  $('couple-copied').textContent = 'Saved as my-attune-result.json in your downloads.';
});

$('couple-file').addEventListener('change', async (ev) => {
  const file = ev.target.files[0];
  if (file) $('couple-theirs').value = await file.text();
});

$('couple-show').addEventListener('click', () => {
  const text = $('couple-theirs').value.trim();
  const say = (msg) => { $('couple-status').textContent = msg; $('couple-body').hidden = true; };
  if (!text) { say('Paste your partner\'s shared result, or load their file, to see the two of you side by side.'); return; }
  let theirs;
  try { theirs = JSON.parse(text); } catch (e) { say('This does not look like a shared result: it should be the whole text your partner copied, starting with {.'); return; }
  try {
    const names = coupleNames();
    showCouple(A.couple($('couple-mine').value, theirs, names ? { names } : {}));
    $('couple-status').textContent = '';
    $('couple-title-shown').focus();
  } catch (e) {
    say(`These two results cannot be set side by side: ${e.message}`);
  }
});
