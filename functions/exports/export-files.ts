import { isYearMonth, type YearMonth } from '../domain/calendar';
import type { Invoice } from '../domain/invoices/invoice';

/**
 * The month's export files of the billing run (docs/terms.md I7, docs/invoice-files.md):
 * per shard a CSV part and a JSON Lines part of its invoices, and a manifest naming them.
 * Implemented over S3 on AWS (s3-files.ts) and over a folder locally (local-folder-files.ts).
 */

export type PartFormat = 'csv' | 'jsonl';

export interface PartInfo {
  format: PartFormat;
  /** The file name, e.g. part-003.csv. */
  part: string;
  /** Data rows: invoice lines in the CSV (its header not counted), invoices in the JSON Lines. */
  rows: number;
  /** Hex SHA-256 of the file's bytes as stored and served. */
  sha256: string;
  bytes: number;
}

export interface Manifest {
  month: string;
  parts: PartInfo[];
  invoices: number;
  generatedAt: string;
}

export interface ExportFiles {
  /** Writes one shard's part of both formats from the invoices (streamed: never holds them all), replacing an earlier version. */
  writeShardParts(month: YearMonth, shard: number, invoices: AsyncIterable<Invoice>): Promise<PartInfo[]>;
  writeManifest(manifest: Manifest): Promise<void>;
  /** URLs for downloading the named files of the month (pre-signed on S3, at most 300 s; local: the local server's /_local/files/ path), with when they expire. */
  urls(month: YearMonth, names: string[]): Promise<{ urls: Record<string, string>; expiresAt: string }>;
}

/** docs/interface.md §7.3: a download URL is valid for at most 5 minutes. */
export const URL_LIFETIME_SECONDS = 300;

export const MANIFEST_NAME = 'manifest.json';

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
} as const;

// The only names the layout has: anything else asked of urls() or the local server is refused.
const EXPORT_FILE_NAME = /^(?:part-\d{3,}\.(?:csv|jsonl)|manifest\.json)$/;

export function isExportFileName(name: string): boolean {
  return EXPORT_FILE_NAME.test(name);
}

/** `invoices/YYYY-MM/`: the month's folder (S3 key prefix). The month becomes a path, so it is checked at run time too. */
export function monthPrefix(month: string): string {
  if (!isYearMonth(month)) throw new Error(`Not a billing month (YYYY-MM): ${JSON.stringify(month)}`);
  return `invoices/${month}/`;
}

/** `part-NNN.csv` / `part-NNN.jsonl`, the shard zero-padded to 3 digits. */
export function partName(shard: number, format: PartFormat): string {
  if (!Number.isSafeInteger(shard) || shard < 0) throw new Error(`Not a shard number: ${shard}`);
  return `part-${String(shard).padStart(3, '0')}.${format}`;
}

export function checkedNames(names: string[]): string[] {
  const refused = names.filter((name) => !isExportFileName(name));
  if (refused.length > 0) throw new Error(`Not export file names: ${refused.map((name) => JSON.stringify(name)).join(', ')}`);
  return names;
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function expiryAfter(now: Date): string {
  return new Date(now.getTime() + URL_LIFETIME_SECONDS * 1000).toISOString();
}
