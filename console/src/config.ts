/**
 * `config.json` beside the console's page: what it needs to know of where it runs.
 * The CDK stack writes it at deploy time; the loopback server serves its own.
 */
export interface ConsoleConfig {
  /** Base URL of the lookup API, without a trailing slash; '' for the page's own origin (loopback). */
  apiUrl: string;
  /** Cognito managed login; null on loopback, where no sign-in is needed (docs/interface.md §6). */
  signIn: SignInConfig | null;
}

export interface SignInConfig {
  /** The user pool domain's base URL, e.g. https://prefix.auth.ap-northeast-1.amazoncognito.com */
  authority: string;
  /** The public app client (no secret): authorization code with PKCE. */
  clientId: string;
  /** The console's own address, registered as the client's callback and sign-out URL. */
  redirectUri: string;
  scopes: string;
}

export const CONSOLE_SCOPES = 'openid email';
