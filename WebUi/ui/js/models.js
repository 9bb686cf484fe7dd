// The models panel: what is served, by which replicas, when each was last heard from, and the kept versions with the
// promotion gate's verdict and a button to serve any of them; updated by the 'models' push and the model events.
import { call } from './api.js';
import { ago, dateTime, percent } from './format.js';
import { h } from './dom.js';

export class ModelsPanel {
  #facts;
  #replicas;
  #rejections;
  #feedback;
  #view = null;
  #receivedAt = 0;
  #listeners = [];

  #noModel;
  #versions;
  #versionsStatus;
  #token;

  #shadow;
  #lineage;

  constructor({ facts, replicas, rejections, feedback, noModel, versions, versionsStatus, shadow, lineage, token }) {
    this.#shadow = shadow;
    this.#lineage = lineage;
    this.#versions = versions;
    this.#versionsStatus = versionsStatus;
    this.#token = token;
    this.#facts = facts;
    this.#noModel = noModel;
    this.#replicas = replicas;
    this.#rejections = rejections;
    this.#feedback = feedback;
    setInterval(() => this.#renderReplicas(), 1000);
  }

  /** A version saved, judged or activated changes the list; the replicas' own changes arrive as 'models' pushes. */
  listen(live) {
    for (const event of ['modelSaved', 'promotionDecided', 'modelActivated']) live.on(event, () => this.refresh());
  }

  /** Called with every new view: the training panel watches a new version roll out. */
  onView(listener) {
    this.#listeners.push(listener);
  }

  async refresh() {
    try {
      this.update(await call('GET', '/models'));
      this.feedback(await call('GET', '/feedback'));
    } catch {
      // Shown as the connection state; the next push brings the view.
    }
  }

  update(view) {
    this.#view = view;
    this.#receivedAt = performance.now();
    const current = view.current;
    this.#noModel.hidden = current != null;
    this.#field('version', current ? `${current.version} (${current.architecture})` : 'no model yet');
    this.#field('accuracy', current?.testAccuracy != null ? percent(current.testAccuracy, 2) : '–');
    this.#field('trained', current ? dateTime(current.trainedAt) : '–');
    this.#rejections.replaceChildren(...view.recentRejections.map((r) => h('li', {}, r)));
    this.#renderReplicas();
    this.#renderVersions(view);
    this.#renderShadow(view.shadow);
    for (const listener of this.#listeners) listener(view);
  }

  feedback(summary) {
    const score = summary.activeModel;
    this.#feedback.textContent = score
      ? `${summary.count} (the served model now agrees with ${percent(score.accuracy, 0)} of the latest ${score.evaluated})`
      : String(summary.count);
  }

  #field(name, text) {
    this.#facts.querySelector(`[data-field="${name}"]`).textContent = text;
  }

  #renderVersions(view) {
    const versions = view.versions ?? [];
    if (versions.length === 0) return;
    this.#versions.replaceChildren(...versions.map((v) => {
      const gate = v.promotion;
      const verdict = !gate ? null
        : gate.pending ? 'being shadowed'
          : !gate.promoted ? 'refused'
            : gate.shadow ? `promoted after ${gate.shadow.compared.toLocaleString()} shadowed`
              : gate.forced ? 'promoted regardless' : 'promoted';
      return h('tr', { 'data-version': v.version, class: v.active ? 'active' : null },
        h('th', { scope: 'row', title: `trained ${dateTime(v.trainedAt)} on ${v.trainingExamples?.toLocaleString() ?? '?'} images, with ${v.corrections ?? 0} people's corrections mixed in` },
          h('span', { class: 'name' }, v.version),
          gate ? h('small', { class: 'verdict', title: gate.reason }, verdict) : null,
          v.corrections ? h('small', {}, `learned from ${v.corrections.toLocaleString()} correction${v.corrections === 1 ? '' : 's'}`) : null,
          v.shadowed?.compared ? h('small', {}, `shadowed: ${percent(v.shadowed.agreed / v.shadowed.compared, 1)} alike on ${v.shadowed.compared.toLocaleString()}`) : null),
        h('td', {}, v.testAccuracy != null ? percent(v.testAccuracy, 2) : '–'),
        h('td', {}, v.uploadsAccuracy != null ? percent(v.uploadsAccuracy, 2) : '–'),
        h('td', {}, [
          ...(v.active
            ? ['serving']
            : [
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Serve version ${v.version}`, onclick: () => this.#activate(v.version) }, 'Serve'),
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Shadow version ${v.version}`, onclick: () => this.#shadowVersion(v.version) }, 'Shadow'),
            ]),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Lineage of version ${v.version}`, onclick: () => this.#showLineage(v.version) }, 'Lineage'),
        ]));
    }));
  }

  // Where a version came from, in a few lines, with the whole record a link away.
  async #showLineage(version) {
    const path = `/models/${encodeURIComponent(version)}/lineage`;
    try {
      const l = await call('GET', path);
      const t = l.training;
      const run = t
        ? `Trained ${dateTime(t.startedAt)} for ${t.requestedBy}${t.trainingId ? ` (training ${t.trainingId})` : ''}: ${t.settings.architecture}, `
          + `${t.settings.epochs} epoch(s), batch ${t.settings.batchSize}, lr ${t.settings.learningRate}`
          + `${t.settings.limit ? `, the first ${t.settings.limit.toLocaleString()} images` : ''}${t.settings.promoteRegardless ? ', promoted regardless' : ''}.`
        : 'Saved without a training record (the seed\'s adopted file, or saved before lineage was kept).';
      const data = t
        ? `Data: ${t.mnistImages.toLocaleString()} MNIST images (${t.mnist.map((f) => `${f.name} ${f.sha256.slice(0, 12)}…`).join(', ')}), `
          + `${t.images.toLocaleString()} in all; corrections ${t.corrections.summary}`
          + `${t.corrections.file ? `, from ${t.corrections.file.name} sha256 ${t.corrections.file.sha256.slice(0, 12)}… (${t.corrections.file.bytes.toLocaleString()} bytes)` : ''}.`
        : null;
      const gate = l.promotion ? `Gate: ${l.promotion.pending ? 'waiting on shadowing' : l.promotion.promoted ? 'promoted' : 'refused'}: ${l.promotion.reason}.` : null;
      const served = l.activations.length === 0 ? 'Never served.'
        : l.activations.map((a) => `Served ${dateTime(a.at)} by ${a.by}${a.previous ? `, replacing ${a.previous}` : ''}.`).join(' ');
      this.#lineage.replaceChildren(
        h('h3', {}, `Lineage of ${l.version}`),
        ...[run, data, gate, served].filter(Boolean).map((line) => h('p', {}, line)),
        h('p', {}, h('a', { href: path, target: '_blank', rel: 'noopener' }, 'The whole record (JSON)')));
      this.#lineage.hidden = false;
    } catch (error) {
      this.#versionsStatus.textContent = error.message;
    }
  }

  #renderShadow(shadow) {
    this.#shadow.hidden = !shadow;
    if (!shadow) return;
    const waiting = shadow.promoteAfter ? ` It serves after ${shadow.promoteAfter.toLocaleString()} compared.` : '';
    this.#shadow.textContent = `Shadowing ${shadow.candidate} on ${shadow.replicas.length} replica${shadow.replicas.length === 1 ? '' : 's'}: `
      + `${shadow.compared.toLocaleString()} digits compared, ${percent(shadow.agreement, 1)} answered alike; `
      + `confidence ${percent(shadow.candidateConfidence, 1)} vs ${percent(shadow.activeConfidence, 1)} served; ${shadow.candidateMsPerDigit.toFixed(2)} vs ${shadow.activeMsPerDigit.toFixed(2)} ms per digit.${waiting}`;
  }

  async #shadowVersion(version) {
    await this.#changeModel(version, 'shadow', { sampleRate: 0.1 },
      `Shadowing ${version} on a tenth of live batches: the comparison appears here as replicas report it.`);
  }

  async #activate(version) {
    await this.#changeModel(version, 'activate', undefined, `Serving ${version}: each replica loads it and is shown above as it does.`);
  }

  async #changeModel(version, action, json, done) {
    const token = this.#token();
    if (!token) {
      this.#versionsStatus.textContent = 'Enter the admin token (under Retrain) to change the served model.';
      return;
    }
    try {
      await call('POST', `/models/${encodeURIComponent(version)}/${action}`, { token, json });
      this.#versionsStatus.textContent = done;
    } catch (error) {
      this.#versionsStatus.textContent = error.message;
    }
  }

  #renderReplicas() {
    const view = this.#view;
    if (!view) return;
    if (view.replicas.length === 0) {
      this.#replicas.replaceChildren(h('tr', {}, h('td', { colspan: 4 }, 'No replica is reporting.')));
      return;
    }
    const elapsed = (performance.now() - this.#receivedAt) / 1000;
    const serverNow = Date.parse(view.at);
    this.#replicas.replaceChildren(...view.replicas.map((r) => {
      const seconds = (serverNow - Date.parse(r.lastSeen)) / 1000 + elapsed;
      return h('tr', { 'data-replica': r.replica, class: r.modelVersion && r.modelVersion === view.current?.version ? null : 'differs' },
        h('th', { scope: 'row' }, r.replica),
        h('td', {}, r.modelVersion ?? 'no model'),
        h('td', {}, r.predictions.toLocaleString()),
        h('td', { class: seconds > 10 ? 'stale' : null }, ago(seconds)));
    }));
  }
}
