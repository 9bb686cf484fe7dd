// One result in the history: the image as sent, what the model saw, and the answer or the refusal in words.
import { h, paintDigit } from './dom.js';
import { milliseconds, percent } from './format.js';

const SIDE = 28;

export class ResultCard {
  /** The prediction id of the answer shown, for corrections. */
  id = null;
  /** For drawings: the pad version of the answer shown, so an older answer never replaces a newer one. */
  version = -1;

  #preview = h('img', { alt: '' });
  #seen = h('canvas', { width: SIDE, height: SIDE, role: 'img', 'aria-label': 'What the model saw: nothing yet' });
  #sentFigure = h('figure', { hidden: true }, this.#preview, h('figcaption', {}, 'sent'));
  #seenFigure = h('figure', { hidden: true }, this.#seen, h('figcaption', {}, 'model saw'));
  #answer = h('div', { class: 'answer' });
  #onCorrect;

  constructor(title, onCorrect) {
    this.#onCorrect = onCorrect;
    this.el = h('li', { class: 'result', 'data-state': 'pending' },
      h('h3', {}, title),
      h('div', { class: 'images' }, this.#sentFigure, this.#seenFigure),
      this.#answer);
    this.pending('Sending…');
  }

  preview(url, alt) {
    if (this.#preview.src) URL.revokeObjectURL(this.#preview.src);
    this.#preview.src = url;
    this.#preview.alt = alt;
    this.#sentFigure.hidden = false;
  }

  pending(words) {
    this.el.dataset.state = 'pending';
    this.#answer.replaceChildren(h('p', { class: 'pending' }, words));
  }

  refuse(words) {
    this.el.dataset.state = 'refused';
    this.id = null;
    this.#answer.replaceChildren(h('p', { class: 'refusal' }, words));
  }

  /** Shows a done prediction; strokeToResultMs is how long after the last stroke it reached the screen (drawings). */
  show(view, { roundTripMs, strokeToResultMs } = {}) {
    const r = view.result;
    this.id = view.id;
    this.el.dataset.state = 'done';
    this.el.dataset.id = view.id;
    this.el.dataset.digit = r.digit;
    if (this.version >= 0) this.el.dataset.version = this.version;
    // Set only on the answer to a finished drawing, and cleared on any other, so it always describes the answer shown.
    if (strokeToResultMs != null) this.el.dataset.strokeToResultMs = Math.round(strokeToResultMs);
    else delete this.el.dataset.strokeToResultMs;
    this.#drawSeen(r.modelInput, r.digit);
    this.#seenFigure.hidden = false;

    const bars = h('ol', { class: 'bars', 'aria-label': 'Probability of each digit' },
      r.probabilities.map((p, digit) => {
        const fill = h('span', { class: 'fill' });
        fill.style.height = percent(p, 2);
        return h('li', { class: digit === r.digit ? 'winner' : null, title: `${digit}: ${percent(p, 2)}` },
          h('span', { class: 'track', 'aria-hidden': 'true' }, fill),
          h('span', { class: 'label' }, String(digit)),
          h('span', { class: 'visually-hidden' }, `: ${percent(p, 1)}`));
      }));
    const timing = [`answered in ${milliseconds(r.elapsedMs)}`];
    if (roundTripMs != null) timing.push(`${milliseconds(roundTripMs)} round trip`);
    if (strokeToResultMs != null) timing.push(`on screen ${milliseconds(strokeToResultMs)} after your last stroke`);

    // Why the answer may be doubtful (a tiny digit, faint ink, other marks), in the gateway's own words.
    const warnings = r.warnings?.length
      ? h('ul', { class: 'warnings', 'aria-label': 'Why this answer may be doubtful' }, r.warnings.map((w) => h('li', {}, w)))
      : null;
    this.#answer.replaceChildren(
      h('p', { class: 'headline' }, h('span', { class: 'digit' }, String(r.digit)), `${percent(r.confidence)} sure`),
      warnings,
      bars,
      h('p', { class: 'meta' }, `model ${r.modelVersion} · ${r.replica} · ${timing.join(' · ')}`),
      this.#correctionForm(r.digit));
  }

  expired(words) {
    this.el.dataset.state = 'refused';
    this.#answer.replaceChildren(h('p', { class: 'refusal' }, words));
  }

  #drawSeen(base64, digit) {
    paintDigit(this.#seen, base64);
    this.#seen.setAttribute('aria-label', `What the model saw: the 28 by 28 image it classified as ${digit}`);
  }

  #correctionForm(predicted) {
    const select = h('select', { 'aria-label': 'The digit it really was' },
      h('option', { value: '' }, 'choose…'),
      Array.from({ length: 10 }, (_, d) => h('option', { value: d }, String(d))));
    const said = h('span', { class: 'said', role: 'status' });
    const button = h('button', { type: 'submit', class: 'secondary' }, 'Correct');
    return h('form', {
      class: 'correct',
      onsubmit: async (event) => {
        event.preventDefault();
        if (select.value === '') {
          said.className = 'said bad';
          said.textContent = 'Choose the digit it was first.';
          select.focus();
          return;
        }
        button.disabled = true;
        try {
          const summary = await this.#onCorrect(this.id, Number(select.value));
          said.className = 'said';
          said.textContent = `Kept: it was a ${select.value}${Number(select.value) === predicted ? ' (as predicted)' : ''}. ${summary.count} correction${summary.count === 1 ? '' : 's'} kept.`;
          select.disabled = true;
        } catch (error) {
          said.className = 'said bad';
          said.textContent = error.message;
          button.disabled = false;
        }
      },
    }, h('span', {}, 'Wrong? It was a'), select, button, said);
  }
}
