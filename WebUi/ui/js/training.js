// Retraining: the form (token kept in this tab's sessionStorage only), the run's progress and curves as it trains,
// and its outcome: the promotion gate's verdict, the new version arriving on each replica, or the refusal or failure in words.
import { call } from './api.js';
import { lineChart } from './chart.js';
import { duration, percent, timeSpanSeconds } from './format.js';

const TOKEN_KEY = 'mnistevents.retrainToken';

export class TrainingPanel {
  #el;
  #run = null; // { id, loss: [], accuracy: [], version }
  #announce;

  constructor(elements, announce) {
    this.#el = elements;
    this.#announce = announce;
    const { form, token } = elements;
    token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
    token.addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, token.value.trim()));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#request();
    });
  }

  listen(live) {
    live.on('trainingStarted', (e) => this.#started(e));
    live.on('trainingProgressed', (e) => this.#progressed(e));
    live.on('trainingCompleted', (e) => this.#completed(e));
    live.on('trainingFailed', (e) => this.#ended(e.trainingId, `Training failed: ${e.reason}`));
    live.on('retrainRejected', (e) => this.#ended(e.trainingId, `Retraining refused: ${e.reason}`));
    live.on('promotionDecided', (e) => this.#decided(e));
  }

  /** Every models view: once a run's model is saved, shows its shadowing while it waits, then which replicas serve it. */
  rollout(view) {
    const version = this.#run?.version;
    if (!version || this.#run.refused) return;
    if (this.#run.waiting) {
      const shadow = view.shadow?.candidate === version ? view.shadow : null;
      const compared = shadow?.compared ?? 0;
      this.#outcome(`Version ${version} passed the gate and is being shadowed: ${compared.toLocaleString()} of ${this.#run.waiting.toLocaleString()} live digits compared`
        + `${compared ? ` (${percent(shadow.agreement, 1)} answered as the served model did)` : ''}; it serves when they are done.`, '');
      return;
    }
    const serving = view.replicas.filter((r) => r.modelVersion === version).map((r) => r.replica);
    const all = view.replicas.length;
    const words = `Version ${version} (test accuracy ${percent(this.#run.testAccuracy, 2)}) is served by ${serving.length} of ${all} replica${all === 1 ? '' : 's'}${serving.length ? `: ${serving.join(', ')}` : ''}.`;
    this.#outcome(words, serving.length === all && all > 0 ? 'ok' : '');
    if (serving.length === all && all > 0 && !this.#run.announced) {
      this.#run.announced = true;
      this.#announce(words);
    }
  }

  async #request() {
    const { token, epochs, limit, regardless, shadowPredictions, form } = this.#el;
    const body = { epochs: Number(epochs.value) || undefined };
    if (limit.value) body.limit = Number(limit.value);
    if (regardless.checked) body.promoteRegardless = true;
    if (shadowPredictions.value) body.shadowPredictions = Number(shadowPredictions.value);
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    if (!token.value.trim()) {
      this.#outcome('Enter the admin token first (./run.sh prints it).', 'bad');
      token.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const accepted = await call('POST', '/retrain', { json: body, token: token.value.trim() });
      this.#track(accepted.trainingId);
      this.#outcome('Queued: training starts when the trainer is free.', '');
    } catch (error) {
      this.#outcome(error.message, 'bad');
    } finally {
      button.disabled = false;
    }
  }

  #track(id) {
    if (this.#run?.id === id) return this.#run;
    this.#run = { id, loss: [], accuracy: [], version: null, testAccuracy: null, announced: false };
    this.#el.panel.hidden = false;
    this.#el.title.textContent = 'Training…'; // a page opened mid-run hears progress before any start
    this.#el.progress.value = 0;
    this.#el.status.textContent = '';
    this.#draw();
    return this.#run;
  }

  #started(e) {
    this.#track(e.trainingId);
    this.#el.title.textContent = `Training ${e.architecture} on ${e.trainingExamples.toLocaleString()} images, ${e.epochs} epoch${e.epochs === 1 ? '' : 's'}`;
    this.#outcome('Training…', '');
  }

  #progressed(e) {
    const run = this.#track(e.trainingId);
    const done = ((e.epoch - 1) * e.stepsPerEpoch + e.step) / (e.epochs * e.stepsPerEpoch);
    this.#el.progress.value = done;
    this.#el.status.textContent = `epoch ${e.epoch} of ${e.epochs} · ${percent(done, 0)} · ${Math.round(e.examplesPerSecond).toLocaleString()} images/s · about ${duration(timeSpanSeconds(e.estimatedRemaining))} left`;
    run.loss.push({ x: done, y: e.loss });
    run.accuracy.push({ x: done, y: e.accuracy });
    this.#draw();
  }

  #completed(e) {
    const run = this.#track(e.trainingId);
    run.version = e.modelVersion;
    run.testAccuracy = e.testAccuracy;
    this.#el.progress.value = 1;
    this.#el.status.textContent = `done in ${duration(timeSpanSeconds(e.duration))}`;
    if (run.refused || run.waiting) return; // the gate's verdict, already shown, is the outcome for now
    this.#outcome(`Saved version ${e.modelVersion} (test accuracy ${percent(e.testAccuracy, 2)}); waiting for the replicas to load it…`, '');
  }

  /**
   * The promotion gate's verdict: a refused model is kept as a version but never served; one that passed may first be
   * shadowed, and a second verdict (from the gateway, without the run's id) settles it.
   */
  #decided(e) {
    const run = e.trainingId ? this.#track(e.trainingId) : this.#run?.version === e.candidate ? this.#run : null;
    if (!run) return;
    run.version ??= e.candidate;
    run.testAccuracy ??= e.candidateMnist;
    run.waiting = e.pending ? e.shadowPredictions : 0;
    if (e.pending) {
      this.#outcome(`Version ${e.candidate} passed the gate (${e.reason}); the replicas shadow it on ${e.shadowPredictions.toLocaleString()} live digits before it serves.`, '');
      return;
    }
    if (e.promoted) return; // the rollout shows it arriving on each replica
    run.refused = true;
    const words = `Version ${e.candidate} was not promoted: ${e.reason}. ${e.active} keeps serving.`;
    this.#outcome(words, 'bad');
    this.#announce(words);
  }

  #ended(id, words) {
    this.#track(id);
    this.#outcome(words, 'bad');
    this.#announce(words);
  }

  #draw() {
    const run = this.#run;
    lineChart(this.#el.lossChart, smooth(run.loss), { min: 0, format: (v) => v.toFixed(2) });
    lineChart(this.#el.accuracyChart, smooth(run.accuracy), { min: 0, max: 1, format: (v) => percent(v, 0) });
  }

  #outcome(words, kind) {
    this.#el.outcome.textContent = words;
    this.#el.outcome.className = `outcome ${kind}`;
  }
}

// One batch's loss and accuracy jump about (the last batch of an epoch may hold a few images); the trend is what matters.
function smooth(points, weight = 0.4) {
  let level;
  return points.map(({ x, y }) => ({ x, y: (level = level === undefined ? y : weight * level + (1 - weight) * y) }));
}
