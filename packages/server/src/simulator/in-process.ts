import { createHmac } from 'node:crypto';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@dotbase/simulator';

/** As many tokens as the seed's pool, so the pool's spreading and monitoring look as they will with Replicate. */
export const SIMULATOR_TOKEN_COUNT = 10;

/** The in-process simulator's tokens: derived from the server secret, so the same on every start. */
export function simulatorTokensFor(secret: string): string[] {
  return Array.from(
    { length: SIMULATOR_TOKEN_COUNT },
    (_, index) => `r8_sim_${createHmac('sha256', secret).update(`simulator-token-${index}`).digest('hex').slice(0, 32)}`,
  );
}

/**
 * Offline mode: a Replicate simulator inside this process, with ten tokens derived from the server secret (the same
 * on every start, so token ids and their statistics stay stable) and its own webhook secret.
 *
 * @example
 * const { simulator, tokens } = await startInProcessSimulator(secret);
 * createDotbase({ tokens, baseUrl: simulator.url });
 */
export async function startInProcessSimulator(
  secret: string,
  options: Omit<SimulatorOptions, 'tokens' | 'port' | 'host'> = {},
): Promise<{ simulator: RunningSimulator; tokens: string[] }> {
  const tokens = simulatorTokensFor(secret);
  const simulator = await startSimulator({ ...options, tokens, port: 0, host: '127.0.0.1' });
  return { simulator, tokens };
}
