/** A simulator in its own process for benchmarks; options come as JSON in argv[2]; prints its URLs as JSON. */
import { startSimulator } from '@dotbase/simulator';

const simulator = await startSimulator(JSON.parse(process.argv[2] ?? '{}'));
console.log(JSON.stringify({ url: simulator.url, origin: simulator.origin, webhookSecret: simulator.webhookSecret }));
process.on('SIGTERM', () => void simulator.close().then(() => process.exit(0)));
