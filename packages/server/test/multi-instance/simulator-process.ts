/**
 * The Replicate simulator in a process of its own, as the instances of a multi-instance test share one Replicate:
 * options as JSON in argv[2]; prints `{ url, origin }` as one JSON line; answers `stats` over the IPC channel with
 * the simulator's counters (creates, 429s answered, predictions by status, per token).
 */
import { startSimulator } from '@dotbase/simulator';

const simulator = await startSimulator(JSON.parse(process.argv[2] ?? '{}'));
process.on('message', (message) => {
  if (message === 'stats') process.send?.(simulator.stats());
});
console.log(JSON.stringify({ url: simulator.url, origin: simulator.origin }));
process.on('SIGTERM', () => void simulator.close().then(() => process.exit(0)));
