import { isJapanese, jaText } from './format';
import { fieldLabel } from './labels';
import type { Session } from './session';
import type { LookupError } from './types';

/**
 * A failed lookup: the API's code and HTTP status when there was an answer, the cause it
 * gave (its message, and the fields it named), for the console to show in Japanese.
 */
export class LookupFailedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly apiMessage: string | null = null,
    readonly fields: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'LookupFailedError';
  }
}

/** What a failure means when the API said nothing readable: by its code. */
const HEADLINES: Record<string, string> = {
  CONTRACT_NOT_FOUND: '契約が見つかりません。IDを確認してください。',
  ORDER_NOT_FOUND: '注文が見つかりません。注文番号を確認してください。',
  INVOICE_NOT_FOUND: '請求書が見つかりません。請求書番号を確認してください。',
  BILLING_RUN_NOT_FOUND: 'この月はまだ締められていません (月次請求の実行前です)。',
  CONTRACT_NOT_LIVE: 'この契約は解約手続き済みです。',
  INVALID_REQUEST: '入力内容に誤りがあります。',
  NOT_FOUND: '該当するデータが見つかりません。',
  FORBIDDEN: 'この照会を行う権限がありません。顧客対応グループへの登録を管理者に依頼してください。',
  SERVICE_UNAVAILABLE: '契約データベースが混み合っているか応答しません。数秒おいてもう一度お試しください。',
  INTERNAL_ERROR: '照会中にシステムの障害が起きました。時間をおいてもう一度お試しいただき、続く場合はシステム担当者に連絡してください。',
};

let session: Session = { apiUrl: '', accessToken: null, signInAgain: null, signOut: null };

/** Set once at start, before the first lookup: where the API is and the token to call it with. */
export function useSession(started: Session): void {
  session = started;
}

/** The lookup API (docs/interface.md §3, §7.3): same origin locally; on AWS the console's API, with the staff member's token. */
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
  const headline = HEADLINES[code] ?? `照会に失敗しました (応答コード ${response.status})。`;
  throw new LookupFailedError(headline, code, response.status, error?.message ?? null, error?.fields ?? []);
}

/**
 * A failure as staff read it: the cause the API gave when it is Japanese (it names the
 * fields itself), else the console's headline with each field the API named, by its
 * Japanese name (`context`: what this screen calls a field) and the API's reason if readable.
 */
export function describeFailure(error: unknown, context: Record<string, string> = {}): { text: string; details: string[] } {
  if (!(error instanceof LookupFailedError)) return { text: '照会に失敗しました。', details: [] };
  const named = (path: string) => fieldLabel(path, context);
  if (error.apiMessage && isJapanese(error.apiMessage)) {
    let text = jaText(error.apiMessage);
    // The API names a field generically (日付); the screen's own name for it is clearer (解約日).
    for (const field of error.fields) {
      const generic = fieldLabel(field.path);
      if (named(field.path) !== generic) text = text.split(`${generic}:`).join(`${named(field.path)}:`);
    }
    // A message that does not name its field (a refusal found by a calculation): named here.
    const unnamed = error.fields.filter((f) => !text.includes(named(f.path)) && !text.includes(fieldLabel(f.path)));
    if (unnamed.length === 1 && error.fields.length === 1 && unnamed[0]?.message === error.apiMessage)
      return { text: `${named(unnamed[0].path)}: ${text}`, details: [] };
    return { text, details: unnamed.map((f) => `${named(f.path)}: ${isJapanese(f.message) ? jaText(f.message) : '値が正しくありません'}`) };
  }
  const details = error.fields.map((f) => `${named(f.path)}: ${isJapanese(f.message) ? jaText(f.message) : '値が正しくありません'}`);
  return { text: error.message, details };
}
