/** Registers a custom element once: loading the widget twice (ES module and script tag) must not throw. */
export function defineElement(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
