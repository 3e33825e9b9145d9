import { Facts, Failure, Section, Status } from '../components/layout';
import { QueryForm } from '../components/query-form';
import { DataTable } from '../components/table';
import { Id, InstantJa, Yen } from '../components/text';
import { dateJa, instantJa, isJapanese, jaText, previousMonth, thisMonth } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import { FILE_FORMATS, REASON_NAMES, RUN_STATUS } from '../labels';
import { href } from '../router';
import type { BillingExport, BillingRun, RunFailure } from '../types';

const enc = encodeURIComponent;

/**
 * Why a contract was not billed, as staff read it: the reason the run recorded, when it is
 * Japanese; otherwise (a defect's own words) a sentence saying so, the words kept for the
 * system's engineers.
 */
function reasonText(reason: RunFailure['reason']): { name: string | null; message: string; clause: string | null; technical: string | null } {
  const record = typeof reason === 'string' ? { message: reason } : reason;
  const message = record.message ?? '';
  const readable = isJapanese(message);
  return {
    name: 'code' in record && record.code ? (REASON_NAMES[record.code] ?? null) : null,
    message: readable ? jaText(message) : 'システムの不具合のため請求できませんでした。システム担当者に連絡してください (次回の月次請求で再実行されます)。',
    clause: 'clause' in record && record.clause ? jaText(record.clause) : null,
    technical: readable || message === '' ? null : message,
  };
}

const FORMAT_NAMES: Record<string, string> = { csv: 'CSV', jsonl: 'JSONL' };

/** part-003.csv (shards from 0) → 4: the parts as staff count them, from 1. */
function partNumber(part: number | string): number {
  if (typeof part === 'number') return part + 1;
  const digits = /(\d+)/.exec(part)?.[1];
  return digits === undefined ? 1 : Number(digits) + 1;
}

/** The export files of a closed month (rules.md I7): a download link each, with its rows; the manifest. */
function ExportFiles({ month }: { month: string }) {
  const exported = useLookup<BillingExport>(`/billing-runs/${enc(month)}/export`);
  const e = exported.data;
  return (
    <Section title="会計用ファイル">
      {exported.loading && <p aria-live="polite">読み込み中…</p>}
      {exported.error ? <Failure error={exported.error} /> : null}
      {e && (
        <div data-testid="export">
          {e.files.length === 0 ? (
            <p>この月のファイルはありません。</p>
          ) : (
            <DataTable
              testId="export-files"
              columns={[{ label: 'ファイル' }, { label: '形式' }, { label: '行数', num: true }]}
              rows={e.files.map((file) => ({
                key: `${file.format}-${file.part}`,
                cells: [
                  <a href={file.url} download>
                    {FORMAT_NAMES[file.format] ?? 'ファイル'} 第{partNumber(file.part)}部をダウンロード
                  </a>,
                  FILE_FORMATS[file.format] ?? '—',
                  `${file.rows.toLocaleString('ja-JP')}行`,
                ],
              }))}
            />
          )}
          <p>
            <a href={e.manifest} download>
              ファイル一覧 (各ファイルの行数と検査値) をダウンロード
            </a>
          </p>
          <p class="hint">リンクの有効期限: {instantJa(e.expiresAt)} まで。期限が切れたらこの画面を開き直してください。</p>
        </div>
      )}
    </Section>
  );
}

function RunSummary({ run }: { run: BillingRun }) {
  return (
    <>
      <Section title={`${dateJa(run.month)}分の月次請求`}>
        <div data-testid="billing-run">
          <Facts
            items={[
              ['状態', RUN_STATUS[run.status] ?? '—'],
              ['開始', run.startedAt ? <InstantJa instant={run.startedAt} /> : '—'],
              ['完了', run.completedAt ? <InstantJa instant={run.completedAt} /> : '—'],
              ['発行した請求書', `${run.invoices.toLocaleString('ja-JP')}件`],
              ['うち調整を含む請求書', `${run.adjustments.toLocaleString('ja-JP')}件`],
              ['請求できなかった契約', `${run.failed.length.toLocaleString('ja-JP')}件`],
            ]}
          />
          <dl class="totals">
            <dt>合計 (税抜)</dt>
            <dd>
              <Yen amount={run.subtotal} />
            </dd>
            <dt>消費税</dt>
            <dd>
              <Yen amount={run.consumptionTax} />
            </dd>
            <dt class="grand">合計 (税込)</dt>
            <dd class="grand">
              <strong>
                <Yen amount={run.total} />
              </strong>
            </dd>
          </dl>
          <p class="hint">件数と金額は、この月にこれまでに発行した請求書の合計です。</p>
        </div>
      </Section>
      {run.failed.length > 0 && (
        <Section title="請求できなかった契約">
          <DataTable
            testId="failures"
            columns={[{ label: '契約ID' }, { label: '理由' }]}
            rows={run.failed.map((failure, i) => {
              const reason = reasonText(failure.reason);
              return {
                key: i,
                cells: [
                  <a href={href.contract(failure.contractId)}>
                    <Id>{failure.contractId}</Id>
                  </a>,
                  <>
                    {reason.name && <strong>{reason.name}: </strong>}
                    {reason.message}
                    {reason.clause && <span class="note">根拠: {reason.clause}</span>}
                    {reason.technical && (
                      <details class="note">
                        <summary>システム担当者向けの詳細</summary>
                        <code translate={false}>{reason.technical}</code>
                      </details>
                    )}
                  </>,
                ],
              };
            })}
          />
          <p class="hint">これらの契約は次回の月次請求で自動的に再実行されます。</p>
        </Section>
      )}
      {run.status !== 'not-run' && run.status !== 'running' && <ExportFiles month={run.month} />}
    </>
  );
}

/** The billing run of a month (interface §7.3, §7.5): status, counts and totals, failures with reasons, the export files. */
export function BillingRunPage({ month }: { month: string | null }) {
  const shown = month ?? previousMonth(thisMonth());
  usePageTitle(`${dateJa(shown)}分の月次請求`);
  const run = useLookup<BillingRun>(`/billing-runs/${enc(shown)}`);
  return (
    <>
      <Section title="月次請求">
        <QueryForm
          kind="month"
          label="請求月"
          name="runMonth"
          initial={month ? dateJa(month) : ''}
          hint="例: 2024年5月、2024/05。空欄は先月 (毎月2日に前月分を締めます)。"
          button="表示"
          onQuery={(value) => {
            location.hash = href.billingRun(value || previousMonth(thisMonth()));
          }}
        />
      </Section>
      <Status {...run} fields={{ month: '請求月' }} />
      {run.data && <RunSummary run={run.data} />}
    </>
  );
}
