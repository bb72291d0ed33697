import { describe, expect, it } from 'vitest';
import { minifyCss, minifyHtml, minifyTemplates } from '../build-tools/minify-templates.js';

describe('template minifier', () => {
  it('minifies CSS without changing selectors or values', () => {
    const css = `
      /* comment */
      :host([theme='dark']) .a  :focus-visible > b ,
      .c   .d {
        font-family: ui-sans-serif, 'Segoe UI',  sans-serif;
        margin: 0 auto ;
      }
      @media (min-width: 760px) { .x { grid-template-columns: minmax(0, 1fr) 2fr; } }
    `;
    expect(minifyCss(css)).toBe(
      ":host([theme='dark']) .a :focus-visible>b,.c .d{font-family:ui-sans-serif,'Segoe UI',sans-serif;margin:0 auto}" +
        '@media (min-width:760px){.x{grid-template-columns:minmax(0,1fr) 2fr}}',
    );
  });

  it('collapses HTML indentation to single spaces', () => {
    expect(minifyHtml('<p>\n    <b>a</b>\n    <i>b</i>\n  </p>')).toBe('<p> <b>a</b> <i>b</i> </p>');
  });

  it('rewrites only css and html tagged templates in src files, keeping interpolations', () => {
    const plugin = minifyTemplates();
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    const code = 'const a = css`\n  .x {\n    color: red;\n  }\n  ${more}\n`;\nconst b = html`<p>\n  ${x}\n</p>`;\nconst c = `keep\n  me`;';
    expect(transform(code, '/pkg/src/a.ts')?.code).toBe('const a = css`.x{color:red} ${more} `;\nconst b = html`<p> ${x} </p>`;\nconst c = `keep\n  me`;');
    expect(transform(code, '/pkg/node_modules/lit/x.ts')).toBeNull();
  });
});
