// Wires the page: the live channel, drawing and uploading on the async path, results, models, retraining and reviewing corrections.
import { call } from './api.js';
import { CorrectionsPanel } from './corrections.js';
import { DriftPanel } from './drift.js';
import { Live } from './live.js';
import { ModelsPanel } from './models.js';
import { Pad } from './pad.js';
import { Predictions } from './predictions.js';
import { Results } from './results.js';
import { TrainingPanel } from './training.js';

const $ = (id) => document.getElementById(id);

const LIVE_INTERVAL_MS = 250; // while a stroke is drawn, at most this often
const SETTLE_MS = 40; // after a stroke ends: batches a quick undo or the next stroke's start
const ANSWER_PATIENCE_MS = 4000; // a lost answer never blocks the next drawing's

const models = new ModelsPanel({
  facts: $('current-model'), replicas: $('replicas'), rejections: $('rejections'), feedback: $('feedback-count'), noModel: $('no-model'),
  versions: $('versions'), versionsStatus: $('versions-status'), shadow: $('shadow'), lineage: $('lineage'), token: () => $('token').value.trim(),
});
const drift = new DriftPanel({
  state: $('drift-state'), chart: $('drift-chart'), features: $('drift-features'), policy: $('policy-state'), rules: $('policy-rules'), decisions: $('policy-decisions'),
});
const results = new Results($('results'), $('results-empty'), $('announcer'), async (id, label) => {
  const summary = await call('POST', '/feedback', { json: { predictionId: id, label } });
  models.feedback(summary);
  return summary;
});
const training = new TrainingPanel({
  form: $('retrain'), token: $('token'), epochs: $('epochs'), limit: $('limit'), regardless: $('regardless'), shadowPredictions: $('shadow-predictions'),
  panel: $('training'), title: $('training-title'), progress: $('training-progress'), status: $('training-status'),
  lossChart: $('loss-chart'), accuracyChart: $('accuracy-chart'), outcome: $('training-outcome'),
}, (words) => results.announce(words));

new CorrectionsPanel({
  load: $('corrections-load'), standing: $('corrections-standing'), summary: $('corrections-summary'), list: $('corrections'), status: $('corrections-status'),
}, () => $('token').value.trim());

const live = new Live($('connection'), () => {
  predictions.resync();
  models.refresh();
});
const predictions = new Predictions(live);
live.on('models', (view) => models.update(view));
// The registry's change reaches every page as a 'models' view within a second; the event itself needs no fetch.
live.on('modelLoaded', () => {});
training.listen(live);
models.listen(live);
models.onView((view) => training.rollout(view));
models.onView((view) => drift.update(view));

// Drawing: one history entry per drawing, updated as it changes; one request in flight at a time, always the latest drawing.
const pad = new Pad($('draw'));
let drawing = null; // { card, title }
let drawings = 0;
let inFlight = false;
let again = false;
let lastSent = 0;
let settleTimer = 0;

pad.addEventListener('input', () => {
  if (performance.now() - lastSent >= LIVE_INTERVAL_MS) sendDrawing();
});
pad.addEventListener('change', () => {
  $('undo').disabled = pad.empty;
  $('clear').disabled = pad.empty;
  clearTimeout(settleTimer);
  if (pad.empty) {
    if (drawing?.card.id === null) results.remove(drawing.card);
    drawing = null;
    return;
  }
  settleTimer = setTimeout(sendDrawing, SETTLE_MS);
});
$('undo').addEventListener('click', () => pad.undo());
$('clear').addEventListener('click', () => pad.clear());

async function sendDrawing() {
  if (pad.empty) return;
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  again = false;
  lastSent = performance.now();
  const version = pad.version;
  const changedAt = pad.changedAt;
  const final = !pad.drawing;
  const blob = await pad.toBlob();
  if (!drawing) {
    drawings++;
    drawing = { card: results.add(`Drawing ${drawings}`), title: `Drawing ${drawings}` };
  }
  const { card, title } = drawing;
  card.preview(URL.createObjectURL(blob), `${title} as sent`);
  const sentAt = performance.now();

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    inFlight = false;
    if (again) sendDrawing();
  };
  const patience = setTimeout(finish, ANSWER_PATIENCE_MS);
  const [answer] = await predictions.submit([{ blob, name: `drawing-${drawings}.png` }]);
  if (answer.refused) {
    if (version >= card.version) results.refuse(card, title, answer.refused);
    clearTimeout(patience);
    finish();
    return;
  }
  if (card.el.dataset.state !== 'done') card.pending('Waiting for a predictor…');
  predictions.watch(answer, (view) => {
    clearTimeout(patience);
    if (view.status === 'done' && version >= card.version) {
      card.version = version;
      const current = final && version === pad.version;
      results.show(card, title, view, {
        roundTripMs: performance.now() - sentAt,
        strokeToResultMs: current ? performance.now() - changedAt : null,
      });
    }
    finish();
  });
}

// Uploads: a button or drag-and-drop, several files in one request; each gets its own entry. Files dropped anywhere
// on the page count (the browser would otherwise leave the page to show them); the drop zone lights up meanwhile.
const dropzone = $('dropzone');
const carriesFiles = (event) => event.dataTransfer?.types.includes('Files');
$('files').addEventListener('change', (event) => {
  upload([...event.target.files]);
  event.target.value = '';
});
addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dropzone.classList.add('over');
});
addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) dropzone.classList.remove('over');
});
addEventListener('drop', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dropzone.classList.remove('over');
  upload([...event.dataTransfer.files]);
});

async function upload(files) {
  if (files.length === 0) return;
  const entries = files.map((file) => ({ blob: file, name: file.name, card: results.add(file.name) }));
  const sentAt = performance.now();
  const answers = await predictions.submit(entries);
  answers.forEach((answer, i) => {
    const { card, name, blob } = entries[i];
    if (answer.refused) {
      results.refuse(card, name, answer.refused);
      return;
    }
    // Only what the gateway accepted is previewed: a decompression bomb never reaches the browser's own decoder.
    card.preview(URL.createObjectURL(blob), `${name} as uploaded`);
    card.pending('Waiting for a predictor…');
    predictions.watch(answer, (view) => {
      if (view.status === 'done') results.show(card, name, view, { roundTripMs: performance.now() - sentAt });
      else card.expired(view.detail);
    });
  });
}

live.start();
models.refresh();
drift.load();
