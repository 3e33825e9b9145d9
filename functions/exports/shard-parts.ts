import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { Invoice } from '../domain/invoices/invoice';
import { CONTENT_TYPES, partName, type PartFormat, type PartInfo } from './export-files';
import { INVOICE_CSV_START, invoiceCsvRows } from './invoice-csv';
import { invoiceJsonLine } from './invoice-jsonl';

/**
 * Where an implementation puts one file: it consumes `body` to its end (or fails), and
 * the file is in place, replacing any earlier one, when the promise resolves.
 */
export type StoreFile = (name: string, body: Readable, contentType: string) => Promise<void>;

/** Text on its way into a part, with the data rows it holds. */
interface Chunk {
  text: string;
  rows: number;
}

interface PartEncoder {
  format: PartFormat;
  /** What the file starts with before any invoice (the CSV's BOM and header). */
  start: string;
  encode(invoice: Invoice): Chunk;
}

const ENCODERS: readonly PartEncoder[] = [
  { format: 'csv', start: INVOICE_CSV_START, encode: (invoice) => ({ text: invoiceCsvRows(invoice), rows: invoice.lines.length }) },
  { format: 'jsonl', start: '', encode: (invoice) => ({ text: invoiceJsonLine(invoice), rows: 1 }) },
];

/**
 * Turns chunks into the part's UTF-8 bytes, hashing and counting them as they go out:
 * the digest is of exactly the bytes the store receives, with no second read of the file.
 */
class PartCounter extends Transform {
  private readonly hash = createHash('sha256');
  rows = 0;
  bytes = 0;

  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(chunk: Chunk, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = Buffer.from(chunk.text, 'utf8');
    this.hash.update(bytes);
    this.bytes += bytes.length;
    this.rows += chunk.rows;
    callback(null, bytes);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * One shard's parts, both formats at once from one pass over `invoices`: an invoice is
 * encoded, written to both parts, and the next is pulled only when both have room
 * (backpressure), so that memory holds a few chunks however many invoices there are.
 * Used by every ExportFiles implementation; they differ only in `store`.
 */
export async function writeShardParts(shard: number, invoices: AsyncIterable<Invoice>, store: StoreFile): Promise<PartInfo[]> {
  const parts = ENCODERS.map((encoder) => ({ encoder, name: partName(shard, encoder.format), counter: new PartCounter() }));
  // A store that fails stops the pump: its part would never drain again.
  const storeFailed = new AbortController();
  const stored = parts.map(({ name, encoder, counter }) =>
    store(name, counter, CONTENT_TYPES[encoder.format]).catch((error: unknown) => {
      storeFailed.abort(error);
      throw error;
    }),
  );
  // Settled from the start, so that a store failing while the pump runs is never an unhandled rejection.
  const settled = Promise.allSettled(stored);
  try {
    await pump(invoices, parts, storeFailed.signal);
  } catch (error) {
    // Read before the abandoning below makes every store fail too.
    const cause: unknown = storeFailed.signal.aborted ? storeFailed.signal.reason : error;
    // Destroyed without an error: each store sees a premature close and abandons its file (temp file removed, multipart upload aborted).
    for (const { counter } of parts) counter.destroy();
    await settled;
    throw cause;
  }
  for (const result of await settled) if (result.status === 'rejected') throw result.reason;
  return parts.map(({ encoder, name, counter }) => ({
    format: encoder.format,
    part: name,
    rows: counter.rows,
    sha256: counter.digest(),
    bytes: counter.bytes,
  }));
}

async function pump(
  invoices: AsyncIterable<Invoice>,
  parts: ReadonlyArray<{ encoder: PartEncoder; counter: PartCounter }>,
  signal: AbortSignal,
): Promise<void> {
  const write = async (counter: PartCounter, chunk: Chunk): Promise<void> => {
    signal.throwIfAborted();
    if (!counter.write(chunk)) await once(counter, 'drain', { signal });
  };
  for (const { encoder, counter } of parts) if (encoder.start !== '') await write(counter, { text: encoder.start, rows: 0 });
  for await (const invoice of invoices) {
    for (const { encoder, counter } of parts) await write(counter, encoder.encode(invoice));
  }
  for (const { counter } of parts) counter.end();
}
