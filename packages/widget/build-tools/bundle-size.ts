import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleSizeOptions {
  /** Gzipped byte budgets per output file name; the build fails when one is exceeded. */
  budgets?: Record<string, number>;
  log?: (line: string) => void;
}

/** Prints the raw and gzipped size of every JavaScript file the build writes, and enforces budgets. */
export function bundleSize(options: BundleSizeOptions = {}): Plugin {
  const log = options.log ?? ((line: string) => console.log(line));
  return {
    name: 'dotbase:bundle-size',
    apply: 'build',
    generateBundle(_outputOptions, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        const raw = Buffer.byteLength(output.code);
        const gzip = gzipSync(output.code, { level: 9 }).byteLength;
        log(`[bundle-size] ${fileName.padEnd(32)} ${(raw / 1024).toFixed(1).padStart(7)} KB  ${(gzip / 1024).toFixed(1).padStart(6)} KB gz`);
        const budget = options.budgets?.[fileName];
        if (budget !== undefined && gzip > budget) {
          this.error(`${fileName} is ${(gzip / 1024).toFixed(1)} KB gzipped, over its ${(budget / 1024).toFixed(0)} KB budget`);
        }
      }
    },
  };
}
