import type { ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.js';
import { ApiError, isAbort } from '../api/errors.js';
import type { Action, Health, Me, ModelInfo } from '../api/types.js';

/**
 * What the server offers: its health (simulator or Replicate), whether the user is signed in, and the models of
 * each action. Loaded once per client (endpoint and credentials).
 */
export class CatalogController {
  health: Health | null = null;
  /** null until known; false when the server answered 401. */
  signedIn: boolean | null = null;
  /** Whether the signed-in user is an admin (the studio then offers the admin dashboard). */
  isAdmin = false;
  /** Who is signed in, when the server said. */
  me: Me | null = null;
  models = new Map<Action, ModelInfo[]>();
  loading = false;
  problem: ApiError | null = null;
  private abort: AbortController | null = null;
  private readonly host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
  }

  get loaded(): boolean {
    return this.models.size > 0;
  }

  async load(client: ApiClient, actions: readonly Action[]): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.problem = null;
    this.host.requestUpdate();
    const lists = Promise.all(actions.map(async (action) => [action, await client.models(action, abort.signal)] as const));
    lists.catch(() => undefined);
    try {
      // Health and sign-in state first: they explain a failure to list models (e.g. a 401 when signed out).
      const [health, me] = await Promise.all([
        client.health(abort.signal).catch(() => null),
        client.me(abort.signal).then(
          (me) => me,
          (error: unknown) => (error instanceof ApiError && error.status === 401 ? false : null),
        ),
      ]);
      if (abort.signal.aborted) return;
      this.health = health;
      this.signedIn = me === null ? null : me !== false;
      this.me = me || null;
      this.isAdmin = me ? me.is_admin === true : false;
      this.models = new Map(await lists);
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted) return;
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
    } finally {
      if (this.abort === abort) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  stop(): void {
    this.abort?.abort();
  }

  modelName(id: string): string | undefined {
    for (const list of this.models.values()) {
      const found = list.find((model) => model.id === id);
      if (found) return found.name;
    }
    return undefined;
  }
}
