// The drift and self-retraining panel: the live digits' drift score now, per feature and over time beside the served
// version, and the retrain policy's rules, what each measures now, and its latest firings and suppressions; fed by the
// 'models' push (its 'drift' and 'retrainPolicy'), with the history read once from /models/drift.
import { call } from './api.js';
import { dateTime } from './format.js';
import { lineChart } from './chart.js';
import { h } from './dom.js';

const SHIFTED = 0.25; // the usual reading of a population stability index, when the policy's drift rule is off
const KEPT = 360;

export class DriftPanel {
  #el;
  #history = [];

  constructor(elements) {
    this.#el = elements;
  }

  async load() {
    try {
      const drift = await call('GET', '/models/drift');
      this.#history = drift.history;
      this.#renderDrift(drift.current, null);
    } catch {
      // The next push brings the score.
    }
  }

  update(view) {
    const drift = view.drift;
    if (drift && this.#history.at(-1)?.at !== drift.at) {
      this.#history.push({ at: drift.at, version: drift.version, digits: drift.digits, score: drift.score, feature: drift.feature });
      if (this.#history.length > KEPT) this.#history.shift();
    }
    if (drift) this.#renderDrift(drift, view.retrainPolicy);
    if (view.retrainPolicy) this.#renderPolicy(view.retrainPolicy);
  }

  #renderDrift(current, policy) {
    const served = current.version ? ` (serving ${current.version})` : '';
    this.#el.state.textContent = current.score != null
      ? `Drift ${current.score.toFixed(3)}, largest on ${current.feature}, over ${current.digits.toLocaleString()} live digits of the last ${current.windowMinutes} min${served}.`
      : `${current.state[0].toUpperCase()}${current.state.slice(1)}${served}.`;
    this.#el.features.replaceChildren(...(current.features.length === 0
      ? [h('tr', {}, h('td', { colspan: 2 }, 'Not scored yet.'))]
      : current.features.map((f) => h('tr', { 'data-feature': f.feature, class: f.score > SHIFTED ? 'shifted' : null },
        h('th', { scope: 'row', title: f.words }, f.feature), h('td', {}, f.score.toFixed(3))))));
    const rule = policy?.rules.find((r) => r.rule === 'drift');
    const threshold = rule?.on ? rule.threshold : SHIFTED;
    const scored = this.#history.filter((p) => p.score != null);
    const first = scored[0];
    const start = first ? Date.parse(first.at) : 0;
    const span = Math.max(1, Date.parse(scored.at(-1)?.at ?? 0) - start);
    const versions = [...new Set(scored.map((p) => p.version))];
    lineChart(this.#el.chart, scored.map((p) => ({ x: (Date.parse(p.at) - start) / span, y: p.score })), {
      min: 0, threshold, format: (v) => v.toFixed(2),
      from: first ? new Date(first.at).toLocaleTimeString([], { timeStyle: 'short' }) : 'start',
      to: versions.length > 0 ? versions.at(-1) : 'now',
    });
  }

  #renderPolicy(policy) {
    const state = this.#el.policy.querySelector('[data-field="state"]');
    state.textContent = policy.enabled
      ? `on: at most once every ${policy.intervalMinutes} min, never while a training runs${policy.trainingRunning ? ` (training ${policy.trainingRunning} runs now)` : ''}`
        + `${policy.lastFiring ? `; last asked ${dateTime(policy.lastFiring.firedAt)}: ${policy.lastFiring.reason}` : ''}.`
      : 'off (RetrainPolicy__Enabled): retrains are asked for by people and other systems only.';
    this.#el.rules.replaceChildren(...policy.rules.filter((r) => r.on).map((r) => h('li', { 'data-rule': r.rule, 'data-holds': r.holds },
      `${r.condition}${r.now ? `: now ${r.now}` : ''}${r.holds ? ' (holds)' : ''}`)));
    this.#el.decisions.replaceChildren(...policy.recent.map((d) => h('li', { 'data-outcome': d.outcome, 'data-cause': d.cause },
      `${dateTime(d.at)} ${d.outcome === 'fired' ? 'asked for a retrain' : 'held back'} (${d.rule}): ${d.reason}`
        + `${d.why ? `; ${d.why}` : ''}${d.trainingId ? ` (training ${d.trainingId})` : ''}${d.times > 1 ? ` (×${d.times}, last ${dateTime(d.lastAt)})` : ''}`)));
  }
}
