import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
const require = createRequire(import.meta.url);

export interface PageServer {
  origin: string;
  /** Registers an HTML page at `path` (e.g. `/create.html`). */
  page(path: string, html: string): string;
  /** Serves the files of `dir` under `prefix` (e.g. `/react/`), `index.html` for the prefix itself. */
  mount(prefix: string, dir: string): void;
  close(): Promise<void>;
}

/**
 * The embedding site: a plain HTTP server on its own loopback port (so a different origin from the API server)
 * serving test pages, the built widget under `/widget/`, other mounted folders, and axe-core under `/axe.js`.
 */
export async function startPageServer(widgetDist: string): Promise<PageServer> {
  const pages = new Map<string, string>();
  const mounts = new Map<string, string>([['/widget/', widgetDist]]);
  const axePath = require.resolve('axe-core/axe.min.js');
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    try {
      let body: string | Buffer | undefined = pages.get(path);
      let type = 'text/html; charset=utf-8';
      const mount = [...mounts].find(([prefix]) => path.startsWith(prefix));
      if (body === undefined && mount) {
        const [prefix, dir] = mount;
        const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'));
        if (!file.startsWith(dir)) throw new Error('outside the mounted folder');
        body = await readFile(file);
        type = TYPES[extname(file)] ?? 'application/octet-stream';
      } else if (body === undefined && path === '/axe.js') {
        body = await readFile(axePath);
        type = TYPES['.js']!;
      }
      if (body === undefined) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    mount(prefix, dir) {
      mounts.set(prefix, dir);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A minimal host page: the widget (ES module or classic script) and one `<dotbase-studio>` with `attributes`. */
export function studioPage(options: { attributes: string; script?: 'module' | 'classic'; style?: string; body?: string; lang?: string | null }): string {
  const lang = options.lang === null ? '' : ` lang="${options.lang ?? 'en'}"`;
  const script =
    options.script === 'classic' ? '<script src="/widget/dotbase-studio.iife.js"></script>' : '<script type="module" src="/widget/dotbase-studio.js"></script>';
  return `<!doctype html>
<html${lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dotbase widget test</title>
<link rel="icon" href="data:,">
<style>body { margin: 0; padding: 24px; font-family: system-ui, sans-serif; background: #eef0f4; } ${options.style ?? ''}</style>
${script}
</head>
<body>
<main>
<h1 style="font-size: 18px; margin: 0 0 16px">Host page</h1>
<dotbase-studio ${options.attributes}></dotbase-studio>
${options.body ?? ''}
</main>
</body>
</html>`;
}
