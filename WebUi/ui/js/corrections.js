// The corrections an admin reviews: each with what the model saw, the label given, by which client, and whether the
// next training will learn from it (trusted) or not (refused, and why); accept, reject or delete one.
import { call } from './api.js';
import { dateTime, percent } from './format.js';
import { h, paintDigit } from './dom.js';

export class CorrectionsPanel {
  #el;
  #token;

  constructor({ load, standing, summary, list, status }, token) {
    this.#el = { load, standing, summary, list, status };
    this.#token = token;
    load.addEventListener('click', () => this.load());
    standing.addEventListener('change', () => this.load());
  }

  async load() {
    const token = this.#token();
    if (!token) {
      this.#status('Enter the admin token (under Retrain) to review corrections.');
      return;
    }
    const standing = this.#el.standing.value;
    try {
      const view = await call('GET', `/feedback/corrections?limit=50${standing ? `&standing=${standing}` : ''}`, { token });
      this.#render(view);
      this.#status('');
    } catch (e) {
      this.#status(e.message);
    }
  }

  #render(view) {
    const refusedBy = Object.entries(view.refusedBy).map(([reason, n]) => `${n} ${reason}`).join(', ');
    this.#el.summary.textContent = `${view.total} kept: ${view.trusted} trusted, ${view.refused} refused${refusedBy ? ` (${refusedBy})` : ''}.`;
    this.#el.list.replaceChildren(...(view.corrections.length === 0
      ? [h('li', { class: 'hint' }, 'None.')]
      : view.corrections.map((c) => this.#item(c))));
  }

  #item(c) {
    const seen = h('canvas', { width: 28, height: 28, role: 'img', 'aria-label': `What the model saw, corrected to ${c.label}` });
    paintDigit(seen, c.modelInput);
    const answered = c.confidence == null ? `${c.predicted}` : `${c.predicted} (${percent(c.confidence)})`;
    const standing = c.standing === 'trusted' ? 'trusted' : `refused: ${c.reason}${c.detail ? ` — ${c.detail}` : ''}`;
    const act = (label, method, path) => h('button', { type: 'button', onclick: () => this.#review(method, `/feedback/corrections/${c.predictionId}${path}`) }, label);
    return h('li', { class: 'correction', 'data-standing': c.standing, 'data-id': c.predictionId },
      seen,
      h('div', {},
        h('p', {}, `Labelled ${c.label}; the model answered ${answered}.`),
        h('p', { class: 'meta' }, `${c.client} · ${dateTime(c.correctedAt)}${c.review ? ` · ${c.review} by an admin` : ''}`),
        h('p', { class: c.standing === 'trusted' ? 'meta' : 'refusal' }, standing),
        h('div', { class: 'actions' }, act('Accept', 'POST', '/accept'), act('Reject', 'POST', '/reject'), act('Delete', 'DELETE', ''))));
  }

  async #review(method, url) {
    try {
      await call(method, url, { token: this.#token() });
      await this.load();
    } catch (e) {
      this.#status(e.message);
    }
  }

  #status(words) {
    this.#el.status.textContent = words;
  }
}
