import base from '/work/wt/bundle/packages/widget/vite.config.ts';
import { gzipSync } from 'node:zlib';
export default (env: any) => {
  const c = (base as any)(env);
  c.plugins = [c.plugins[0], {
    name: 'measure', generateBundle(_o: any, bundle: any) {
      for (const [f, out] of Object.entries<any>(bundle)) {
        if (out.type !== 'chunk') continue;
        console.log('TOTAL', f, (gzipSync(out.code, {level:9}).length/1024).toFixed(2));
        const rows = Object.entries<any>(out.modules).map(([id, m]) => [id.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//,'').replace('/work/wt/bundle/packages/widget/',''), m.renderedLength, m.code ? gzipSync(m.code,{level:9}).length : 0]);
        rows.sort((a: any, b: any) => b[2] - a[2]);
        for (const r of rows) console.log(String(r[1]).padStart(7), String(r[2]).padStart(6), r[0]);
      }
    }}];
  return c;
};
