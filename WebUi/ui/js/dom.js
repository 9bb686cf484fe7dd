// A small element builder: h('p', { class: 'hint' }, 'text', child).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c != null && c !== false));
  return element;
}

// Paints what the model saw (784 bytes, base64, white ink on black) onto a 28 by 28 canvas.
export function paintDigit(canvas, base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const context = canvas.getContext('2d');
  const image = context.createImageData(28, 28);
  bytes.forEach((v, i) => image.data.set([v, v, v, 255], 4 * i));
  context.putImageData(image, 0, 0);
}
