import type { Plugin } from 'vite';

/** The static text of `css` and `html` tagged templates (interpolations are left alone). */
const TEMPLATE = /\b(css|html)`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[^}]*\})*)`/g;
const INTERPOLATION = /(\$\{[^}]*\})/;

/** Minifies CSS text: comments go, whitespace collapses, and none is kept around punctuation that doesn't need it. */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/** Collapses the indentation between lines of an HTML template; a single space keeps inline layout the same. */
export function minifyHtml(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/>\s+</g, '> <');
}

/**
 * Lit keeps templates as written, indentation included; this strips it from the widget's own sources so the bundle
 * carries only what the browser needs. Runs before bundling, on `src` files only.
 */
export function minifyTemplates(): Plugin {
  return {
    name: 'dotbase:minify-templates',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id)) return null;
      const out = code.replace(TEMPLATE, (_match, tag: 'css' | 'html', body: string) => {
        const parts = body.split(INTERPOLATION).map((part, index) => (index % 2 === 1 ? part : tag === 'css' ? minifyCss(part) : minifyHtml(part)));
        return `${tag}\`${parts.join(tag === 'css' ? ' ' : '')}\``;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}
