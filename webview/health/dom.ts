// The only way the panel creates elements: text goes through textContent, attributes through an
// allow-list (no event handlers, no style, no URLs). Server strings can never become markup here.

const ALLOWED_ATTRS = new Set(['role', 'title', 'aria-label', 'aria-live', 'aria-hidden', 'tabindex', 'id', 'data-key', 'data-kind', 'data-severity', 'data-level', 'data-tone', 'scope', 'colspan', 'type', 'aria-expanded', 'aria-controls', 'data-col', 'data-label']);

export interface ElOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: ElOptions = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (opts.className) e.className = opts.className;
  if (opts.text !== undefined) e.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs ?? {})) setAttr(e, k, v);
  for (const c of children) e.appendChild(c);
  return e;
}

export function setAttr(e: Element, name: string, value: string): void {
  if (!ALLOWED_ATTRS.has(name)) throw new Error(`attribute ${name} is not allowed`);
  e.setAttribute(name, value);
}

/** Sets text only when it changed (keeps selection and avoids layout work). */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
