import type { LookupError } from '../../functions/http/lookup-responses';

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
};

/** The lookup API (docs/interface.md §3): same origin locally; on AWS the console's configured API. */
export async function lookup<T>(path: string, base = ''): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
  } catch {
    throw new LookupFailedError('APIに接続できません。ネットワークまたはサーバーの状態を確認してください。', 'UNREACHABLE', 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  const error = (body as LookupError | null)?.error;
  const code = error?.code ?? 'UNKNOWN';
  const fields = error?.fields?.map((f) => f.path).join(', ');
  const message = MESSAGES[code] ?? `照会に失敗しました (HTTP ${response.status})。`;
  throw new LookupFailedError(fields ? `${message.replace(/。$/, '')} (項目: ${fields})。` : message, code, response.status);
}
