import type { HttpBindings } from '@hono/node-server';

/** Hono environment of the simulator's app: Node bindings (to drop sockets) and what the guard found out. */
export interface SimulatorEnv {
  Bindings: HttpBindings;
  Variables: {
    /** The caller's accepted token: its account. */
    token: string;
    /** Set when a `fail_prediction` fault fired for this create. */
    failPrediction?: string;
  };
}
