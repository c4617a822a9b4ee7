/** Small DOM helpers: data from the server goes in as text, never as HTML. */

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `data-*`, `title`…) and children (text or nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'number' ? String(c) : c);
  }
  return e;
}

/** The element with `id`; throws when the page lacks it (a broken page should fail loudly). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}

/** Sets an element's text when it changed (no layout work for a value that stayed). */
export function setText(id: string, text: string): void {
  const e = byId(id);
  if (e.textContent !== text) e.textContent = text;
}

/** A table row of cells; a cell is text, or a node (a button). */
export function row(cells: Child[], attrs: Record<string, string> = {}): HTMLTableRowElement {
  return el('tr', attrs, ...cells.map((c) => el('td', {}, c)));
}
