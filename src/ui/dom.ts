// Building the page: elements from tags, properties and children. A child string becomes a text node,
// never markup, so whatever a client sent (a path, a header, a body) is shown as text and cannot run.
// There is no innerHTML anywhere in the dashboard.

type Child = Node | string | number | null | undefined | false
type Props = Record<string, unknown> & { attrs?: Record<string, string | undefined> }

export function el<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  const { attrs, ...properties } = props
  Object.assign(element, properties)
  for (const [name, value] of Object.entries(attrs ?? {})) if (value !== undefined) element.setAttribute(name, value)
  append(element, ...children)
  return element
}

function append (parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

/** Replaces the children of `parent` */
export function fill (parent: Node, ...children: Child[]): void {
  while (parent.firstChild !== null) parent.removeChild(parent.firstChild)
  append(parent, ...children)
}

/** A labelled form field: the label names it for screen readers and axe. */
export function field (label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= `field-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`
  return el('div', { className: 'field' },
    el('label', { htmlFor: control.id }, label),
    control,
    hint === undefined ? null : el('small', {}, hint))
}

/** A select of [value, text] options; `value` chosen, else the first. */
export function select (options: Array<[string, string]>, value?: string): HTMLSelectElement {
  const element = el('select', {}, ...options.map(([optionValue, text]) => el('option', { value: optionValue }, text)))
  if (value !== undefined) element.value = value
  return element
}

/** A status line that screen readers announce; an error is shown in the error style. */
export function notice (element: HTMLElement, message: string, kind: 'ok' | 'error' = 'ok'): void {
  element.className = `notice ${kind}`
  element.textContent = message
}
