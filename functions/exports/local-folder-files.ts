import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isYearMonth, type YearMonth } from '../domain/calendar';
import type { Invoice } from '../domain/invoices/invoice';
import type { Clock } from '../use-cases/deps';
import {
  checkedNames,
  CONTENT_TYPES,
  type ExportFiles,
  expiryAfter,
  isExportFileName,
  type Manifest,
  MANIFEST_NAME,
  manifestText,
  monthPrefix,
  type PartInfo,
} from './export-files';
import { writeShardParts } from './shard-parts';

/** Where the local server serves the folder (docs/interface.md §7.4). */
export const LOCAL_FILES_PATH = '/_local/files/';

export interface LocalFolderFilesOptions {
  /** The folder, e.g. `<dataDir>/files`; the month's files go under `invoices/YYYY-MM/` in it. */
  root: string;
  /** The local server's origin, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  clock: Clock;
}

/** The export files in a folder, for the local stack (docs/invoice-files.md). */
export class LocalFolderFiles implements ExportFiles {
  private readonly root: string;

  constructor(private readonly options: LocalFolderFilesOptions) {
    this.root = path.resolve(options.root);
  }

  async writeShardParts(month: YearMonth, shard: number, invoices: AsyncIterable<Invoice>): Promise<PartInfo[]> {
    const folder = this.folderOf(month);
    return await writeShardParts(shard, invoices, (name, body) => writeReplacing(folder, name, body));
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await writeReplacing(this.folderOf(manifest.month), MANIFEST_NAME, Readable.from([manifestText(manifest)]));
  }

  /** Paths on the local server, which checks no expiry: `expiresAt` only keeps the answer's shape the same as on AWS. */
  urls(month: YearMonth, names: string[]): Promise<{ urls: Record<string, string>; expiresAt: string }> {
    // In a `then`, so that a refused month or name is a rejection, as on S3.
    return Promise.resolve().then(() => {
      const base = `${this.options.baseUrl.replace(/\/+$/, '')}${LOCAL_FILES_PATH}${monthPrefix(month)}`;
      const urls = Object.fromEntries(checkedNames(names).map((name) => [name, `${base}${name}`]));
      return { urls, expiresAt: expiryAfter(this.options.clock.now()) };
    });
  }

  private folderOf(month: string): string {
    return path.join(this.root, monthPrefix(month));
  }
}

/**
 * Writes the file under a temporary name in the same folder, then renames it over the
 * real one (atomic on one file system): a write killed half-way leaves at most a hidden
 * `.tmp` file, which the local server never serves, and a reader sees the old file or the
 * new one, never a mix. Flushed before the rename, so that the new name never points at
 * data still in the page cache only.
 */
async function writeReplacing(folder: string, name: string, body: Readable): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${name}.${randomUUID()}.tmp`);
  try {
    await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
    await rename(temp, path.join(folder, name));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The file a request for `urlPath` (a path under /_local/files/; a query string is
 * ignored) names under `root`, or null. Only the export layout is served,
 * `invoices/YYYY-MM/<part or manifest>`, each segment percent-decoded once and then
 * matched whole: `..` (written or encoded), an absolute or empty segment, a NUL, a
 * backslash, an encoded slash, a hidden or temporary file all fail the match.
 */
export function resolveLocalFile(root: string, urlPath: string): string | null {
  const pathname = urlPath.split('?', 1)[0];
  if (!pathname.startsWith(LOCAL_FILES_PATH)) return null;
  const segments = pathname.slice(LOCAL_FILES_PATH.length).split('/').map(decodedSegment);
  if (segments.length !== 3) return null;
  const [top, month, name] = segments;
  if (top !== 'invoices' || month === null || !isYearMonth(month) || name === null || !isExportFileName(name)) return null;
  return path.join(path.resolve(root), top, month, name);
}

function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape (`%E0%A4%A`) names no file.
    return null;
  }
}

const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = { '.csv': CONTENT_TYPES.csv, '.jsonl': CONTENT_TYPES.jsonl, '.json': CONTENT_TYPES.json };

/** The Content-Type to serve a file resolveLocalFile returned with. */
export function localFileContentType(filePath: string): string {
  return CONTENT_TYPE_BY_EXTENSION[path.extname(filePath)] ?? 'application/octet-stream';
}
