// Submitting images on the async path and settling each accepted one exactly once: by its SignalR push, or by
// fetching it by id when the push may have gone to a connection that no longer exists.
import { call } from './api.js';

const FIRST_CHECK_CONNECTED_MS = 5000;
const FIRST_CHECK_OFFLINE_MS = 700;
const MAX_CHECK_INTERVAL_MS = 15000;

export class Predictions {
  #live;
  #pending = new Map(); // id → { handler, nextCheck, interval }
  #early = new Map(); // results pushed before their submission's answer was read

  constructor(live) {
    this.#live = live;
    live.on('predicted', (view) => this.#settle(view));
    setInterval(() => this.#sweep(false), 1000);
  }

  /** Submits files in one request; resolves to one { id } or { refused: words } per entry, in order. */
  async submit(entries) {
    const form = new FormData();
    for (const { blob, name } of entries) form.append('file', blob, name);
    const subscription = this.#live.subscription;
    if (subscription) form.append('subscription', subscription);
    try {
      const answer = await call('POST', '/predictions', { form });
      return answer.items.map((item) => (item.id ? { id: item.id, pushed: answer.pushed } : { refused: item.detail }));
    } catch (error) {
      const items = error.problem?.items;
      return entries.map((_, i) => ({ refused: items?.[i]?.detail ?? error.message }));
    }
  }

  /** Calls handler once with the prediction's view ({ id, status: 'done', result } or { id, status: 'expired' }). */
  watch({ id, pushed }, handler) {
    const early = this.#early.get(id);
    if (early) {
      this.#early.delete(id);
      handler(early);
      return;
    }
    const interval = pushed ? FIRST_CHECK_CONNECTED_MS : FIRST_CHECK_OFFLINE_MS;
    this.#pending.set(id, { handler, interval, nextCheck: performance.now() + interval });
  }

  /** After a reconnect: pushes meant for the old connection are lost, so every pending result is fetched now. */
  resync() {
    this.#sweep(true);
  }

  #settle(view) {
    const entry = this.#pending.get(view.id);
    if (!entry) {
      this.#early.set(view.id, view);
      if (this.#early.size > 200) this.#early.delete(this.#early.keys().next().value);
      return;
    }
    this.#pending.delete(view.id);
    entry.handler(view);
  }

  async #sweep(all) {
    const now = performance.now();
    for (const [id, entry] of this.#pending) {
      if (!all && entry.nextCheck > now) continue;
      entry.interval = Math.min(MAX_CHECK_INTERVAL_MS, entry.interval * 2);
      entry.nextCheck = now + entry.interval;
      try {
        const view = await call('GET', `/predictions/${id}`);
        if (view.status === 'done') this.#settle(view);
      } catch (error) {
        if (error.status === 404) this.#settle({ id, status: 'expired', detail: error.message });
      }
    }
  }
}
