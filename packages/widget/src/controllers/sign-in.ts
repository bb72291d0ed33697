import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { miniAppInitData, mountLoginWidget, type TelegramLoginPayload } from '../api/telegram.js';
import type { SignInMethods } from '../api/types.js';

export interface SignInHooks {
  client(): ApiClient;
  /** Whether the embedder authenticates requests itself (a token): then the studio never signs anyone in or out. */
  usesToken(): boolean;
  /** Where the Login Widget may live: a light-DOM element of the studio host, shown through a slot. */
  widgetSlot(): HTMLElement;
  widgetSrc(): string;
  lang(): string;
  /** After signing in or out: load everything again as the new user. */
  onChange(): void;
  onError(error: ApiError): void;
}

/** A sign-in that did not work, in terms the panel can explain. */
export interface SignInProblem {
  code: string;
  message: string;
  /** The Telegram username that tried, for "not on the allowlist". */
  username?: string;
}

/**
 * Telegram sign-in from the studio itself: inside a Telegram Mini App it signs in at once with the launch
 * `initData`; on a web page it shows the official Login Widget for the server's bot. Also signs out.
 */
export class SignInController implements ReactiveController {
  busy = false;
  problem: SignInProblem | null = null;
  private triedMiniApp = false;
  private unmount: (() => void) | null = null;
  private mountedFor = '';
  private readonly host: ReactiveControllerHost;
  private readonly hooks: SignInHooks;

  constructor(host: ReactiveControllerHost, hooks: SignInHooks) {
    this.host = host;
    this.hooks = hooks;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.hideWidget();
  }

  /**
   * Called when the server says nobody is signed in: a Mini App signs in by itself (once: a refusal is shown, not
   * retried in a loop); elsewhere the Login Widget is offered when the server names its bot.
   */
  signedOut(methods: SignInMethods | undefined): void {
    const telegram = methods?.telegram;
    if (!telegram || this.hooks.usesToken()) return this.hideWidget();
    const initData = miniAppInitData();
    if (initData && !this.triedMiniApp) {
      this.triedMiniApp = true;
      void this.send({ init_data: initData });
      return;
    }
    if (telegram.bot_username) this.showWidget(telegram.bot_username);
  }

  signedIn(): void {
    this.hideWidget();
    this.problem = null;
  }

  async signOut(): Promise<void> {
    this.busy = true;
    this.host.requestUpdate();
    try {
      await this.hooks.client().signOut();
      this.problem = null;
      // A Mini App would sign straight back in with the same initData; signing out means staying out.
      this.triedMiniApp = true;
      this.hooks.onChange();
    } catch (error) {
      this.hooks.onError(error instanceof ApiError ? error : new ApiError('network_error', String(error)));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private showWidget(botUsername: string): void {
    const key = `${botUsername}|${this.hooks.widgetSrc()}|${this.hooks.lang()}`;
    if (this.unmount && this.mountedFor === key) return;
    this.hideWidget();
    this.mountedFor = key;
    this.unmount = mountLoginWidget(this.hooks.widgetSlot(), {
      src: this.hooks.widgetSrc(),
      botUsername,
      lang: this.hooks.lang(),
      onAuth: (user) => void this.send(user),
    });
  }

  private hideWidget(): void {
    this.unmount?.();
    this.unmount = null;
    this.mountedFor = '';
  }

  private async send(body: TelegramLoginPayload): Promise<void> {
    this.busy = true;
    this.problem = null;
    this.host.requestUpdate();
    try {
      await this.hooks.client().signInWithTelegram(body);
      this.hideWidget();
      this.hooks.onChange();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('network_error', String(error));
      const username = typeof body.username === 'string' ? body.username : usernameFromInitData(body.init_data);
      this.problem = { code: apiError.code, message: apiError.message, ...(username ? { username } : {}) };
      this.hooks.onError(apiError);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}

/** The username inside Mini App `initData` (its `user` field is JSON), for the "not allowed" message. */
function usernameFromInitData(initData: unknown): string | undefined {
  if (typeof initData !== 'string') return undefined;
  try {
    const user = JSON.parse(new URLSearchParams(initData).get('user') ?? '{}') as { username?: unknown };
    return typeof user.username === 'string' ? user.username : undefined;
  } catch {
    return undefined;
  }
}
