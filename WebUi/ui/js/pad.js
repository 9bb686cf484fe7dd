// The drawing pad: pointer strokes (mouse, touch, pen) like a thick pen, or the keyboard, with undo and clear.
// Its 'input' event fires while a stroke is drawn, 'change' when the drawing changed (a stroke ended, undo, clear).

const SIZE = 280;
const PEN = 20; // MNIST's strokes are about a tenth of the digit's 20 px box; here the box is about 200 px
const KEY_STEP = 10;

export class Pad extends EventTarget {
  /** Counts changes to the drawing; an answer belongs to the version it was sent at. */
  version = 0;
  /** performance.now() of the last change. */
  changedAt = 0;

  #canvas;
  #context;
  #strokes = [];
  #current = null;
  #cursor = { x: SIZE / 2, y: SIZE / 2 };
  #showCursor = false;

  constructor(canvas) {
    super();
    this.#canvas = canvas;
    this.#context = canvas.getContext('2d');
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', () => this.#end());
    canvas.addEventListener('pointercancel', () => this.#end());
    canvas.addEventListener('keydown', (e) => this.#key(e));
    canvas.addEventListener('focus', () => { this.#showCursor = canvas.matches(':focus-visible'); this.#redraw(); });
    canvas.addEventListener('blur', () => { this.#end(); this.#showCursor = false; this.#redraw(); });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.#redraw());
  }

  get empty() {
    return this.#strokes.length === 0 && this.#current === null;
  }

  get drawing() {
    return this.#current !== null;
  }

  undo() {
    this.#end();
    if (this.#strokes.pop()) this.#changed();
  }

  clear() {
    this.#current = null;
    if (this.#strokes.length === 0) return;
    this.#strokes = [];
    this.#changed();
  }

  /** The drawing as a PNG: ink opaque on a transparent background (the gateway reads ink from alpha). */
  toBlob() {
    if (!this.#showCursor) return new Promise((resolve) => this.#canvas.toBlob(resolve, 'image/png'));
    this.#showCursor = false;
    this.#redraw();
    // toBlob copies the bitmap when called, so the keyboard cursor can come back at once.
    const blob = new Promise((resolve) => this.#canvas.toBlob(resolve, 'image/png'));
    this.#showCursor = true;
    this.#redraw();
    return blob;
  }

  #point(e) {
    const box = this.#canvas.getBoundingClientRect();
    return { x: ((e.clientX - box.left) * SIZE) / box.width, y: ((e.clientY - box.top) * SIZE) / box.height };
  }

  #down(e) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    this.#canvas.setPointerCapture(e.pointerId);
    this.#showCursor = false;
    this.#begin(this.#point(e));
  }

  #move(e) {
    if (!this.#current) return;
    for (const c of e.getCoalescedEvents?.() ?? [e]) this.#extend(this.#point(c));
  }

  #begin(point) {
    this.#current = [point];
    this.#segment(point, point);
    this.dispatchEvent(new Event('input'));
  }

  #extend(point) {
    const last = this.#current.at(-1);
    this.#current.push(point);
    this.#segment(last, point);
    this.dispatchEvent(new Event('input'));
  }

  #end() {
    if (!this.#current) return;
    this.#strokes.push(this.#current);
    this.#current = null;
    this.#changed();
  }

  #changed() {
    this.version++;
    this.#canvas.dataset.version = this.version;
    this.changedAt = performance.now();
    this.#redraw();
    this.dispatchEvent(new Event('change'));
  }

  #key(e) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[e.key]) {
      const step = e.shiftKey ? KEY_STEP / 5 : KEY_STEP;
      const [dx, dy] = moves[e.key];
      this.#cursor = { x: clamp(this.#cursor.x + dx * step), y: clamp(this.#cursor.y + dy * step) };
      this.#showCursor = true;
      if (this.#current) this.#extend(this.#cursor);
      else this.#redraw();
    } else if (e.key === ' ' || e.key === 'Enter') {
      this.#showCursor = true;
      if (this.#current) this.#end();
      else this.#begin(this.#cursor);
    } else if (e.key === 'Escape') {
      this.#end();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      this.undo();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      this.clear();
    } else {
      return;
    }
    e.preventDefault();
  }

  #ink() {
    return getComputedStyle(this.#canvas).color;
  }

  #segment(from, to, ink = this.#ink()) {
    const c = this.#context;
    c.strokeStyle = ink;
    c.lineWidth = PEN;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    if (from.x === to.x && from.y === to.y) {
      // A zero-length line draws nothing, whatever its caps: a touch of the pen is a dot.
      c.fillStyle = ink;
      c.arc(to.x, to.y, PEN / 2, 0, 2 * Math.PI);
      c.fill();
      return;
    }
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  }

  #redraw() {
    const c = this.#context;
    c.clearRect(0, 0, SIZE, SIZE);
    const ink = this.#ink();
    for (const stroke of this.#current ? [...this.#strokes, this.#current] : this.#strokes) {
      stroke.forEach((point, i) => this.#segment(stroke[Math.max(0, i - 1)], point, ink));
    }
    if (this.#showCursor) {
      c.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--focus');
      c.lineWidth = 2;
      c.beginPath();
      c.arc(this.#cursor.x, this.#cursor.y, PEN / 2 + 2, 0, 2 * Math.PI);
      c.stroke();
    }
  }
}

const clamp = (v) => Math.min(SIZE - 1, Math.max(0, v));
