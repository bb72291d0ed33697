import { html, nothing } from 'lit';
import type { Me, SignInMethods } from './api/types.js';
import type { SignInProblem } from './controllers/sign-in.js';
import { errorText, type Strings } from './i18n/index.js';

/** What a signed-out person sees: how to get in on this server, never a dead end. */
export function renderSignIn(strings: Strings, methods: SignInMethods | undefined, state: { busy: boolean; problem: SignInProblem | null; usesToken: boolean }) {
  const s = strings.signIn;
  const telegram = methods?.telegram;
  let body;
  if (telegram && !state.usesToken) {
    body = telegram.bot_username
      ? html`<p>${s.telegram}</p>
          <div class="telegram-login" ?hidden=${state.busy}><slot name="telegram-login"></slot></div>`
      : html`<p>${s.telegramNoWidget}</p>`;
  } else {
    body = html`<p>${methods?.api_keys || state.usesToken ? s.keysOnly : s.other}</p>`;
  }
  const problem = state.problem;
  const problemText = problem
    ? problem.code === 'forbidden' && problem.username
      ? s.notAllowed(`@${problem.username}`)
      : errorText(strings, problem.code, problem.message)
    : '';
  return html`<section class="sign-in" part="sign-in" data-notice="sign-in" aria-labelledby="sign-in-heading">
    <h3 id="sign-in-heading">${s.heading}</h3>
    ${body} ${state.busy ? html`<p class="hint" role="status">${s.signingIn}</p>` : nothing}
    <p class="error-text sign-in-problem" role="alert">${problemText}</p>
  </section>`;
}

/** Who is signed in with a Telegram session, with a way out. API keys, embed tokens and anonymous access have none. */
export function renderAccount(strings: Strings, me: Me | null, state: { busy: boolean; usesToken: boolean; onSignOut(): void }) {
  if (!me || state.usesToken || !me.user.id.startsWith('telegram:')) return nothing;
  const name = me.user.username ? `@${me.user.username}` : me.user.id;
  return html`<div class="account" part="account">
    <span class="who">${strings.signIn.signedInAs(name)}</span>
    <button type="button" class="small ghost" ?disabled=${state.busy} @click=${state.onSignOut}>${strings.signIn.signOut}</button>
  </div>`;
}
