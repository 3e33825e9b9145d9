import type { ConsoleConfig, SignInConfig } from './config';

/**
 * Who the console calls the API as. On loopback nobody (no sign-in); on AWS a member of
 * the customer-service group, signed in through Cognito's managed login with the
 * authorization code flow and PKCE (RFC 7636): the browser holds no client secret and no
 * AWS keys, only the access token, kept in this tab's sessionStorage.
 */
export interface Session {
  apiUrl: string;
  /** The bearer token for the API; null on loopback. */
  accessToken: string | null;
  /** Sends the browser to the sign-in page again (an expired or refused token); null on loopback. */
  signInAgain: (() => void) | null;
  signOut: (() => void) | null;
}

const PENDING = 'omakase-console:pending-sign-in';
const TOKEN = 'omakase-console:token';

interface PendingSignIn {
  state: string;
  verifier: string;
  /** The screen the user was on, restored after the round trip. */
  hash: string;
}
interface StoredToken {
  accessToken: string;
  expiresAt: number;
}

export class SignInFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInFailedError';
  }
}

/** Reads config.json and returns the session, or null while the browser is being sent to sign in. */
export async function startSession(): Promise<Session | null> {
  const config = await loadConfig();
  const { signIn } = config;
  if (!signIn) return { apiUrl: config.apiUrl, accessToken: null, signInAgain: null, signOut: null };
  const restart = () => {
    sessionStorage.removeItem(TOKEN);
    void redirectToSignIn(signIn);
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN);
    location.assign(`${signIn.authority}/logout?${new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.redirectUri }).toString()}`);
  };
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (code || error) {
    history.replaceState(null, '', location.pathname + location.hash);
    if (error) throw new SignInFailedError(`サインインできませんでした (${error})。もう一度お試しください。`);
    const token = await redeem(signIn, code as string, params.get('state'));
    return { apiUrl: config.apiUrl, accessToken: token, signInAgain: restart, signOut };
  }
  const stored = storedToken();
  if (stored) return { apiUrl: config.apiUrl, accessToken: stored, signInAgain: restart, signOut };
  await redirectToSignIn(signIn);
  return null;
}

async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()) as ConsoleConfig;
  } catch {
    throw new SignInFailedError('コンソールの設定 (config.json) を読み込めません。ネットワークまたは配信の状態を確認してください。');
  }
}

function storedToken(): string | null {
  const raw = sessionStorage.getItem(TOKEN);
  if (!raw) return null;
  const token = JSON.parse(raw) as StoredToken;
  // A minute's margin, so that a lookup does not leave with a token about to expire.
  return token.expiresAt - 60_000 > Date.now() ? token.accessToken : null;
}

async function redirectToSignIn(signIn: SignInConfig): Promise<void> {
  const verifier = randomText(32);
  const pending: PendingSignIn = { state: randomText(16), verifier, hash: location.hash };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: signIn.scopes,
    state: pending.state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${signIn.authority}/oauth2/authorize?${query.toString()}`);
}

/** The code for the tokens, at the token endpoint, proving with the verifier that this tab asked for it. */
async function redeem(signIn: SignInConfig, code: string, state: string | null): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as PendingSignIn | null;
  sessionStorage.removeItem(PENDING);
  if (!pending || pending.state !== state) throw new SignInFailedError('サインインの応答を確認できません。もう一度サインインしてください。');
  let response: Response;
  try {
    response = await fetch(`${signIn.authority}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: signIn.clientId,
        code,
        redirect_uri: signIn.redirectUri,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    throw new SignInFailedError('サインインのサーバーに接続できません。ネットワークの状態を確認してください。');
  }
  const body = (await response.json().catch(() => null)) as { access_token?: string; expires_in?: number } | null;
  if (!response.ok || !body?.access_token) throw new SignInFailedError('サインインを完了できませんでした。もう一度サインインしてください。');
  const token: StoredToken = { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  sessionStorage.setItem(TOKEN, JSON.stringify(token));
  if (pending.hash) history.replaceState(null, '', location.pathname + pending.hash);
  return token.accessToken;
}

function randomText(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
