// This session's history of predictions, newest first, each change announced to screen readers.
import { ResultCard } from './card.js';
import { percent } from './format.js';

export class Results {
  #list;
  #empty;
  #announcer;
  #onCorrect;

  constructor(list, empty, announcer, onCorrect) {
    this.#list = list;
    this.#empty = empty;
    this.#announcer = announcer;
    this.#onCorrect = onCorrect;
  }

  add(title) {
    const card = new ResultCard(title, (id, label) => this.#onCorrect(id, label));
    this.#list.prepend(card.el);
    this.#empty.hidden = true;
    return card;
  }

  remove(card) {
    card.el.remove();
    this.#empty.hidden = this.#list.children.length > 0;
  }

  show(card, title, view, timings) {
    card.show(view, timings);
    this.announce(`${title}: ${view.result.digit}, ${percent(view.result.confidence, 0)} sure.`);
  }

  refuse(card, title, words) {
    card.refuse(words);
    this.announce(`${title} refused. ${words}`);
  }

  announce(words) {
    this.#announcer.textContent = words;
  }
}
