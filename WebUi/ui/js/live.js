// The live channel: SignalR on /hubs/predictions, reconnecting for as long as the page is open, its state always shown.

const LABELS = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline, retrying',
};

// The person sees the connection's state on the page; the client's own error lines would only repeat it.
const quietLogger = {
  log(level, message) {
    if (level >= signalR.LogLevel.Warning) console.warn(`SignalR: ${message}`);
  },
};

export class Live {
  #badge;
  #hub;
  #onReconnected;
  #everConnected = false;
  #subscription = null;

  constructor(badge, onReconnected) {
    this.#badge = badge;
    this.#onReconnected = onReconnected;
    this.#hub = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/predictions')
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: ({ previousRetryCount }) => {
          if (previousRetryCount >= 2) this.#set('offline');
          return Math.min(10000, 500 * 2 ** previousRetryCount);
        },
      })
      .configureLogging(quietLogger)
      .build();
    this.#hub.onreconnecting(() => {
      this.#subscription = null;
      this.#set('reconnecting');
    });
    this.#hub.onreconnected(() => this.#connected());
    this.#hub.onclose(() => {
      this.#subscription = null;
      this.#startLoop();
    });
    addEventListener('offline', () => this.#set('offline'));
  }

  /** The key to name when submitting, so results are pushed to this connection only; null while there is none (results are then fetched by id). */
  get subscription() {
    return this.#hub.state === signalR.HubConnectionState.Connected ? this.#subscription : null;
  }

  on(method, handler) {
    this.#hub.on(method, handler);
  }

  start() {
    this.#set('connecting');
    this.#startLoop();
  }

  async #startLoop() {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#hub.start();
        await this.#connected();
        return;
      } catch {
        this.#set(attempt >= 1 ? 'offline' : 'reconnecting');
        await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 500 * 2 ** attempt)));
      }
    }
  }

  async #connected() {
    // A new connection gets a new key: the old one ended with the old connection.
    try {
      this.#subscription = await this.#hub.invoke('subscribe');
    } catch {
      this.#subscription = null;
    }
    this.#set('connected');
    if (this.#everConnected) this.#onReconnected();
    this.#everConnected = true;
  }

  #set(state) {
    if (this.#badge.dataset.state === state) return;
    this.#badge.dataset.state = state;
    this.#badge.textContent = LABELS[state];
  }
}
