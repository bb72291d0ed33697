#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorOptions } from './index.js';

const USAGE = `Usage: dotbase-simulator [options]

  --port <n>               port to listen on (default 8788; 0 = any free port)
  --host <host>            interface to bind (default 127.0.0.1)
  --tokens <a,b,...>       accepted Bearer tokens (default: any non-empty token)
  --starting-ms <n>        time in "starting" (default 200)
  --processing-ms <n>      time in "processing" (default 1000)
  --steps <n>              progress lines while processing (default 4)
  --output-ttl-ms <n>      outputs expire after this (default 3600000)
  --output-scale <x>       scale generated images, e.g. 0.25 (default 1)
  --webhook-secret <s>     whsec_... secret (default: generated)
  --accept-unknown-models  run unknown official models as a generic text-to-image model
  --no-retry-after         leave Retry-After out of 429 answers
  --help`;

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got "${value}"`);
  return parsed;
}

function optionsFrom(argv: string[]): SimulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      tokens: { type: 'string' },
      'starting-ms': { type: 'string' },
      'processing-ms': { type: 'string' },
      steps: { type: 'string' },
      'output-ttl-ms': { type: 'string' },
      'output-scale': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'accept-unknown-models': { type: 'boolean' },
      'no-retry-after': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  const timing = {
    ...(values['starting-ms'] !== undefined ? { startingMs: number(values['starting-ms'], 'starting-ms') } : {}),
    ...(values['processing-ms'] !== undefined ? { processingMs: number(values['processing-ms'], 'processing-ms') } : {}),
    ...(values.steps !== undefined ? { steps: number(values.steps, 'steps') } : {}),
  };
  return {
    port: number(values.port, 'port') ?? 8788,
    ...(values.host ? { host: values.host } : {}),
    ...(values.tokens ? { tokens: values.tokens.split(',').map((token) => token.trim()).filter(Boolean) } : {}),
    timing,
    ...(values['output-ttl-ms'] !== undefined ? { outputTtlMs: number(values['output-ttl-ms'], 'output-ttl-ms') } : {}),
    ...(values['output-scale'] !== undefined ? { outputScale: number(values['output-scale'], 'output-scale') } : {}),
    ...(values['webhook-secret'] ? { webhookSecret: values['webhook-secret'] } : {}),
    ...(values['accept-unknown-models'] ? { acceptUnknownModels: true } : {}),
    ...(values['no-retry-after'] ? { retryAfterHeader: false } : {}),
  };
}

async function main(): Promise<void> {
  let options: SimulatorOptions | undefined;
  try {
    options = optionsFrom(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const sim = await startSimulator(options);
  console.log(`Replicate simulator listening: ${sim.url}`);
  console.log(`Use it as the API base, e.g. REPLICATE_API_BASE_URL=${sim.url}  (webhook secret ${sim.webhookSecret})`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
