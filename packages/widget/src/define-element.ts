/**
 * Registers a custom element once: loading the widget twice (ES module and script tag) must not throw. Where there
 * is no registry (Node without Lit's server shim, a worker), there is nothing to register with: importing the widget
 * there, as server-rendering frameworks do, must not throw either.
 */
export function defineElement(name: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  if (!customElements.get(name)) customElements.define(name, element);
}
