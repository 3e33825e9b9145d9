import type { LookupError } from '../../functions/http/lookup-responses';
import type { Session } from './session';

/** A failed lookup, with the message staff read (Japanese) and the API's code when there was an answer. */
export class LookupFailedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'LookupFailedError';
  }
}

const MESSAGES: Record<string, string> = {
  CONTRACT_NOT_FOUND: '契約が見つかりません。IDを確認してください。',
  ORDER_NOT_FOUND: '注文が見つかりません。注文番号を確認してください。',
  INVALID_REQUEST: '入力内容に誤りがあります。',
  NOT_FOUND: '該当するデータが見つかりません。',
  FORBIDDEN: 'この照会を行う権限がありません。customer-service グループへの登録を管理者に依頼してください。',
};

let session: Session = { apiUrl: '', accessToken: null, signInAgain: null, signOut: null };

/** Set once at start, before the first lookup: where the API is and the token to call it with. */
export function useSession(started: Session): void {
  session = started;
}

/** The lookup API (docs/interface.md §3): same origin locally; on AWS the console's API, with the staff member's token. */
export async function lookup<T>(path: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session.accessToken) headers.authorization = `Bearer ${session.accessToken}`;
  let response: Response;
  try {
    response = await fetch(`${session.apiUrl}${path}`, { headers });
  } catch {
    throw new LookupFailedError('APIに接続できません。ネットワークまたはサーバーの状態を確認してください。', 'UNREACHABLE', 0);
  }
  if (response.status === 401 && session.signInAgain) {
    session.signInAgain();
    throw new LookupFailedError('サインインの有効期限が切れました。サインイン画面に移動します。', 'UNAUTHORIZED', 401);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  const error = (body as LookupError | null)?.error;
  const code = error?.code ?? 'UNKNOWN';
  const fields = error?.fields?.map((f) => f.path).join(', ');
  const message = MESSAGES[code] ?? `照会に失敗しました (HTTP ${response.status})。`;
  throw new LookupFailedError(fields ? `${message.replace(/。$/, '')} (項目: ${fields})。` : message, code, response.status);
}
