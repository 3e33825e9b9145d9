import { render } from 'preact';
import { useSession } from './api';
import { App } from './app';
import { SignInFailedError, startSession } from './session';

/** Start: read config.json, sign in where the console runs on AWS, then show the screen the address names. */
const root = document.getElementById('app') as HTMLElement;
startSession().then(
  (session) => {
    // null: the browser is on its way to the sign-in page.
    if (!session) return;
    useSession(session);
    render(<App signOut={session.signOut} />, root);
  },
  (error: unknown) =>
    render(
      <main>
        <p role="alert" class="error">
          {error instanceof SignInFailedError ? error.message : 'コンソールを開始できませんでした。ページを再読み込みしてください。'}
        </p>
      </main>,
      root,
    ),
);
