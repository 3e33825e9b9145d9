import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CONTENT_TYPES } from '../../functions/exports/export-files';
import { INVOICE_CSV_START } from '../../functions/exports/invoice-csv';
import { writeShardParts, type StoreFile } from '../../functions/exports/shard-parts';
import { anInvoice, generated } from './invoices';

/** A store that keeps what it received, reading one chunk per turn of the event loop (a slow disk or network). */
function slowStore() {
  const files: Record<string, { bytes: Buffer; contentType: string }> = {};
  const received = { jsonlLines: 0 };
  const store: StoreFile = async (name, body, contentType) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      if (name.endsWith('.jsonl')) received.jsonlLines += newlines(chunk);
      await nextTurn();
    }
    files[name] = { bytes: Buffer.concat(chunks), contentType };
  };
  return { files, received, store };
}

function newlines(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) count++;
  return count;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('writeShardParts (the streaming shared by every implementation)', () => {
  it('writes both parts of the shard, with rows, bytes and the SHA-256 of the bytes the store received', async () => {
    const { files, store } = slowStore();
    const parts = await writeShardParts(3, generated(10).invoices, store);
    expect(parts.map(({ format, part, rows }) => ({ format, part, rows }))).toEqual([
      { format: 'csv', part: 'part-003.csv', rows: 20 },
      { format: 'jsonl', part: 'part-003.jsonl', rows: 10 },
    ]);
    for (const part of parts) {
      expect(part.sha256).toBe(sha256(files[part.part].bytes));
      expect(part.bytes).toBe(files[part.part].bytes.length);
    }
    expect(files['part-003.csv'].contentType).toBe(CONTENT_TYPES.csv);
    expect(files['part-003.jsonl'].contentType).toBe(CONTENT_TYPES.jsonl);
    expect(files['part-003.jsonl'].bytes.toString('utf8').split('\n')).toHaveLength(11);
  });

  it('pulls 20,000 invoices only as the store takes them in, never running far ahead', async () => {
    const { received, store } = slowStore();
    let furthestAhead = 0;
    const source = generated(20_000, (i) => {
      furthestAhead = Math.max(furthestAhead, i - received.jsonlLines);
      return anInvoice({ invoiceId: `INV-${i}` });
    });
    const parts = await writeShardParts(0, source.invoices, store);
    expect(source.progress.pulled).toBe(20_000);
    expect(parts.map((part) => part.rows)).toEqual([40_000, 20_000]);
    // A few chunks buffered in each stream (~16 KiB, 16 writes): ~50 invoices, never the 20,000.
    expect(furthestAhead).toBeLessThan(200);
  });

  it('writes the header alone for a shard without invoices, and an empty JSON Lines part', async () => {
    const { files, store } = slowStore();
    const parts = await writeShardParts(7, generated(0).invoices, store);
    expect(parts.map((part) => [part.rows, part.bytes])).toEqual([
      [0, Buffer.byteLength(INVOICE_CSV_START)],
      [0, 0],
    ]);
    expect(files['part-007.csv'].bytes.toString('utf8')).toBe(INVOICE_CSV_START);
    expect(parts[1].sha256).toBe(sha256(Buffer.alloc(0)));
  });

  it('stops pulling invoices when a store fails, and rejects with its error', async () => {
    const failure = new Error('disk full');
    // The CSV's store takes everything in; the JSON Lines' fails without reading its body, which then never drains.
    const store: StoreFile = async (name, body) => {
      if (name.endsWith('.jsonl')) {
        await nextTurn();
        throw failure;
      }
      for await (const _chunk of body) await nextTurn();
    };
    const source = generated(20_000);
    await expect(writeShardParts(1, source.invoices, store)).rejects.toBe(failure);
    expect(source.progress.pulled).toBeLessThan(1000);
  });

  it('abandons both files when the invoices fail, and rejects with that error', async () => {
    const outcomes: string[] = [];
    const store: StoreFile = async (name, body) => {
      try {
        for await (const _chunk of body) await nextTurn();
        outcomes.push(`${name}: complete`);
      } catch (error) {
        outcomes.push(`${name}: ${(error as Error).message}`);
        throw error;
      }
    };
    const failure = new Error('DynamoDB read failed');
    async function* failing() {
      yield anInvoice();
      throw failure;
    }
    await expect(writeShardParts(2, failing(), store)).rejects.toBe(failure);
    expect(outcomes.sort()).toEqual(['part-002.csv: Premature close', 'part-002.jsonl: Premature close']);
  });

  it('refuses a shard that is not a non-negative integer', async () => {
    const { store } = slowStore();
    await expect(writeShardParts(-1, generated(1).invoices, store)).rejects.toThrow('Not a shard number');
    await expect(writeShardParts(1.5, generated(1).invoices, store)).rejects.toThrow('Not a shard number');
  });
});
