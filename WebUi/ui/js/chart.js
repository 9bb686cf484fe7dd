// A line chart in SVG: y against progress (x from 0 to 1), with its range and latest value labelled; optionally a dashed
// threshold line and labels of its own for both ends of the x axis (a training's start and end by default).
const NS = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 110;
const PAD = { left: 34, right: 6, top: 8, bottom: 14 };

export function lineChart(svg, points, { min = 0, max, format, threshold, from = 'start', to = 'end' }) {
  const top = max ?? Math.max(min + 1e-6, threshold ?? min, ...points.map((p) => p.y));
  const x = (v) => PAD.left + v * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - ((v - min) / (top - min)) * (H - PAD.top - PAD.bottom);
  const latest = points.at(-1);
  const children = [
    node('title', {}, latest ? `latest ${format(latest.y)}, ${points.length} points` : 'no data yet'),
    node('line', { class: 'axis', x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }),
    node('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }),
    node('text', { x: 2, y: PAD.top + 8 }, format(top)),
    node('text', { x: 2, y: H - PAD.bottom }, format(min)),
    node('text', { x: PAD.left, y: H - 2 }, from),
    node('text', { x: W - PAD.right, y: H - 2, 'text-anchor': 'end' }, to),
    node('polyline', { class: 'line', points: points.map((p) => `${x(p.x).toFixed(1)},${y(Math.min(top, p.y)).toFixed(1)}`).join(' ') }),
  ];
  if (threshold != null) children.push(node('line', { class: 'threshold', x1: PAD.left, y1: y(threshold), x2: W - PAD.right, y2: y(threshold) }));
  if (latest) children.push(node('text', { x: Math.min(x(latest.x) + 3, W - 40), y: Math.max(y(latest.y) - 4, PAD.top + 8) }, format(latest.y)));
  svg.replaceChildren(...children);
}

function node(tag, attributes, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text != null) element.textContent = text;
  return element;
}
