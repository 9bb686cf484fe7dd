// Retraining: the form (token kept in this tab's sessionStorage only), the run's progress and curves as it trains,
// and its outcome, followed by the training's id alone: the gate's judgement, the wait on shadowing, then the one event
// that ends a training (retrainSettled: served and arriving on each replica, refused, superseded or failed, in words).
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
    live.on('candidateJudged', (e) => this.#judged(e));
    live.on('promotionDecided', (e) => this.#waiting(e));
    live.on('retrainSettled', (e) => this.#settled(e));
  }

  /** Every models view: once a run's model is saved, shows its shadowing while it waits, then which replicas serve it. */
  rollout(view) {
    const version = this.#run?.version;
    if (!version || this.#run.ended) return;
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
      this.#outcome(accepted.ahead > 0
        ? `Queued: ${accepted.ahead} training${accepted.ahead === 1 ? '' : 's'} ahead of it.`
        : 'Starting: the trainer takes it now.', '');
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
    if (run.judged) return; // the gate's judgement, already shown, says more
    this.#outcome(`Saved version ${e.modelVersion} (test accuracy ${percent(e.testAccuracy, 2)}); the controller decides whether it serves…`, '');
  }

  /** The trainer's judgement: the gate passed or refused its candidate; what follows is the controller's. */
  #judged(e) {
    const run = this.#follows(e.trainingId);
    if (!run) return;
    run.version = e.candidate;
    run.testAccuracy = e.candidateMnist;
    run.active = e.active;
    run.judged = true;
    this.#outcome(`The gate ${e.passed ? 'passed' : 'refused'} version ${e.candidate}: ${e.reason}.`, '');
  }

  /** A candidate the controller shadows first: the rollout shows its comparison counting up. */
  #waiting(e) {
    const run = this.#follows(e.trainingId);
    if (!run || !e.pending) return;
    run.version = e.candidate;
    run.waiting = e.shadowPredictions;
  }

  /** The one event that ends a training, whatever ended it. */
  #settled(e) {
    const run = this.#follows(e.trainingId);
    if (!run) return;
    run.waiting = 0;
    if (e.outcome === 'promoted') {
      run.version = e.version;
      return; // the rollout shows it arriving on each replica
    }
    run.ended = true;
    const words = {
      refused: e.version ? `Version ${e.version} was not promoted: ${e.reason}. ${run.active ?? 'The served model'} keeps serving.` : `Retraining refused: ${e.reason}`,
      superseded: `Version ${e.version} was superseded before it served: ${e.reason}.`,
      failed: `Training failed: ${e.reason}`,
    }[e.outcome] ?? `Training ${e.outcome}: ${e.reason}`;
    this.#outcome(words, 'bad');
    this.#announce(words);
  }

  // The run shown, if it is this training: the panel follows one training, by its id.
  #follows(id) {
    return id && this.#run?.id === id ? this.#run : null;
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
