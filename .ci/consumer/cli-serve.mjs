// (b) the `dotbase` bin serves /api/health and the widget (found through its @dotbase/widget dependency).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, startUntil, stop } from './lib.mjs';

const dir = await mkdtemp(join(tmpdir(), 'dotbase-consumer-cli-'));
const { child, match: url } = await startUntil('node_modules/.bin/dotbase', ['serve'], {
  env: { PORT: '0', HOST: '127.0.0.1', DOTBASE_DATA_DIR: dir, REPLICATE_API_TOKENS: '' },
  ready: (line) => (line.includes('"dotbase is listening"') ? JSON.parse(line).url : undefined),
});
try {
  const health = await fetch(`${url}/api/health`);
  assert(health.status === 200, `/api/health answered ${health.status}`);
  const body = await health.json();
  assert(body.mode === 'simulator', `/api/health mode is ${body.mode}`);
  for (const path of ['/widget.js', '/widget.mjs']) {
    const widget = await fetch(`${url}${path}`);
    const text = await widget.text();
    assert(widget.status === 200, `${path} answered ${widget.status}: ${text.slice(0, 200)}`);
    assert(/javascript/.test(widget.headers.get('content-type') ?? ''), `${path} is ${widget.headers.get('content-type')}`);
    assert(text.includes('dotbase-studio'), `${path} is not the widget`);
  }
  const page = await (await fetch(`${url}/`)).text();
  assert(page.includes('<dotbase-studio'), 'the page at / has no <dotbase-studio>');
  console.log(`dotbase serve at ${url}: /api/health mode ${body.mode} (version ${body.version}), /widget.js and /widget.mjs served`);
} finally {
  await stop(child);
  await rm(dir, { recursive: true, force: true });
}
