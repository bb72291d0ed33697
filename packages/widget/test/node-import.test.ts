import { describe, expect, it } from 'vitest';

// Server-rendering frameworks import the widget in Node, where there is no DOM. (The consumer test, .ci/, does the
// same with the packed npm build.)
describe('the widget in Node', () => {
  it('imports every entry without throwing', async () => {
    for (const load of [() => import('../src/index.js'), () => import('../src/element.js'), () => import('../src/define.js'), () => import('../src/react.js'), () => import('../src/admin/index.js')]) {
      await expect(load()).resolves.toBeDefined();
    }
  });

  it('registers nothing, and does not throw, where there is no custom-element registry', async () => {
    const { defineElement } = await import('../src/define-element.js');
    const registry = Object.getOwnPropertyDescriptor(globalThis, 'customElements');
    Reflect.deleteProperty(globalThis, 'customElements');
    try {
      expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
      expect(() => defineElement('dotbase-node-test', class {} as unknown as CustomElementConstructor)).not.toThrow();
    } finally {
      if (registry) Object.defineProperty(globalThis, 'customElements', registry);
    }
  });
});
