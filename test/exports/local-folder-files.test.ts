import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENT_TYPES, type Manifest } from '../../functions/exports/export-files';
import { INVOICE_CSV_HEADERS } from '../../functions/exports/invoice-csv';
import { localFileContentType, LocalFolderFiles, resolveLocalFile } from '../../functions/exports/local-folder-files';
import { aLine, anInvoice, generated, parseCsv } from './invoices';

const NOW = new Date('2024-06-01T18:00:00Z');
let root: string;
let files: LocalFolderFiles;
const folder = () => path.join(root, 'invoices', '2024-05');
const flat = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'invoice-files-'));
  files = new LocalFolderFiles({ root, baseUrl: 'http://127.0.0.1:3000/', clock: { now: () => NOW } });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('LocalFolderFiles', () => {
  it('writes the shard as part-NNN.csv and part-NNN.jsonl under invoices/YYYY-MM, with the SHA-256 of the files on disk', async () => {
    const parts = await files.writeShardParts('2024-05', 3, generated(5).invoices);
    expect(readdirSync(folder()).sort()).toEqual(['part-003.csv', 'part-003.jsonl']);
    for (const part of parts) {
      const file = path.join(folder(), part.part);
      expect(part.sha256).toBe(sha256(file));
      expect(part.bytes).toBe(statSync(file).size);
    }
    const csv = readFileSync(path.join(folder(), 'part-003.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.lastIndexOf('\uFEFF')).toBe(0);
    const records = parseCsv(csv.slice(1));
    expect(records[0]).toEqual(INVOICE_CSV_HEADERS);
    // Rows are the data rows: the header is not counted.
    expect(parts[0]).toMatchObject({ format: 'csv', part: 'part-003.csv', rows: records.length - 1 });
    expect(parts[0].rows).toBe(10);
    const jsonl = readFileSync(path.join(folder(), 'part-003.jsonl'), 'utf8');
    expect(jsonl.endsWith('\n')).toBe(true);
    expect(
      jsonl
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).invoiceId),
    ).toEqual(['INV-0', 'INV-1', 'INV-2', 'INV-3', 'INV-4']);
    expect(parts[1]).toMatchObject({ format: 'jsonl', part: 'part-003.jsonl', rows: 5 });
  });

  it('keeps a hostile name intact through the file', async () => {
    const name = '=HYPERLINK("https://evil.example","株式会社,\n""🍣""")' + 'あ'.repeat(1000);
    await files.writeShardParts('2024-05', 0, generated(1, () => anInvoice({ customer: { customerId: 'C-9', name } })).invoices);
    const records = parseCsv(readFileSync(path.join(folder(), 'part-000.csv'), 'utf8').slice(1));
    expect(records.slice(1).map((record) => record[INVOICE_CSV_HEADERS.indexOf('宛名')])).toEqual([`'${name}`, `'${name}`]);
    expect(JSON.parse(readFileSync(path.join(folder(), 'part-000.jsonl'), 'utf8')).customer.name).toBe(name);
  });

  it('replaces the files of an earlier run of the shard, leaving no temporary file', async () => {
    await files.writeShardParts('2024-05', 0, generated(3).invoices);
    const parts = await files.writeShardParts('2024-05', 0, generated(1, () => anInvoice({ lines: [aLine()] })).invoices);
    expect(parts.map((part) => part.rows)).toEqual([1, 1]);
    expect(readdirSync(folder()).sort()).toEqual(['part-000.csv', 'part-000.jsonl']);
    expect(readFileSync(path.join(folder(), 'part-000.jsonl'), 'utf8').split('\n')).toHaveLength(2);
    expect(parts[0].sha256).toBe(sha256(path.join(folder(), 'part-000.csv')));
  });

  it('writes under a temporary name: the real name holds the earlier file until the new one is complete', async () => {
    const earlier = await files.writeShardParts('2024-05', 0, generated(2).invoices);
    const seenDuringWrite: string[][] = [];
    const failure = new Error('killed');
    async function* invoices() {
      for (let i = 0; i < 2000; i++) {
        if (i === 1500) {
          seenDuringWrite.push(readdirSync(folder()).sort());
          // The real names still hold the earlier, complete files.
          expect(sha256(path.join(folder(), 'part-000.csv'))).toBe(earlier[0].sha256);
          throw failure;
        }
        yield anInvoice({ invoiceId: `INV-${i}` });
      }
    }
    await expect(files.writeShardParts('2024-05', 0, invoices())).rejects.toBe(failure);
    expect(seenDuringWrite[0]).toEqual([
      expect.stringMatching(/^\.part-000\.csv\..+\.tmp$/),
      expect.stringMatching(/^\.part-000\.jsonl\..+\.tmp$/),
      'part-000.csv',
      'part-000.jsonl',
    ]);
    // The failed write's temporary files are gone; the earlier files are untouched.
    expect(readdirSync(folder()).sort()).toEqual(['part-000.csv', 'part-000.jsonl']);
    expect(earlier.map((part) => sha256(path.join(folder(), part.part)))).toEqual(earlier.map((part) => part.sha256));
  });

  it('streams 20,000 invoices to disk without holding them: the heap grows far less than the files', async () => {
    const make = (i: number) =>
      anInvoice({
        invoiceId: `INV-${i}`,
        // Flat 1,000-character names (not ropes sharing one filler): 20,000 such invoices held at once would weigh far more than the bound below.
        customer: { customerId: `C-${i}`, name: flat(String(i).padEnd(1000, '株')) },
        lines: [aLine({ label: flat(String(i).padEnd(300, 'ラ')) })],
      });
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    const source = generated(20_000, (i) => {
      if (i % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      return make(i);
    });
    const parts = await files.writeShardParts('2024-05', 12, source.invoices);
    const written = parts.reduce((sum, part) => sum + part.bytes, 0);
    expect(parts.map((part) => part.rows)).toEqual([20_000, 20_000]);
    expect(parts.map((part) => sha256(path.join(folder(), part.part)))).toEqual(parts.map((part) => part.sha256));
    // Measured: ~12 MiB of growth streaming them, ~65 MiB when the 20,000 invoices are first collected in an array.
    expect(written).toBeGreaterThan(100 * 2 ** 20);
    expect(peak - start).toBeLessThan(32 * 2 ** 20);
  }, 60_000);

  it('writes the manifest as manifest.json, replacing an earlier one', async () => {
    const manifest: Manifest = {
      month: '2024-05',
      parts: [{ format: 'csv', part: 'part-000.csv', rows: 2, sha256: 'ab'.repeat(32), bytes: 10 }],
      invoices: 1,
      generatedAt: NOW.toISOString(),
    };
    await files.writeManifest({ ...manifest, invoices: 9 });
    await files.writeManifest(manifest);
    expect(JSON.parse(readFileSync(path.join(folder(), 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(readdirSync(folder())).toEqual(['manifest.json']);
  });

  it("answers the local server's URLs of the named files, with an expiry 300 s after the clock", async () => {
    expect(await files.urls('2024-05', ['part-000.csv', 'manifest.json'])).toEqual({
      urls: {
        'part-000.csv': 'http://127.0.0.1:3000/_local/files/invoices/2024-05/part-000.csv',
        'manifest.json': 'http://127.0.0.1:3000/_local/files/invoices/2024-05/manifest.json',
      },
      expiresAt: '2024-06-01T18:05:00.000Z',
    });
  });

  it('refuses names and months outside the layout', async () => {
    await expect(files.urls('2024-05', ['../secret'])).rejects.toThrow('Not export file names');
    await expect(files.urls('2024-13', ['part-000.csv'])).rejects.toThrow('Not a billing month');
    await expect(files.writeShardParts('../..' as never, 0, generated(1).invoices)).rejects.toThrow('Not a billing month');
    await expect(files.writeManifest({ month: '2024-5', parts: [], invoices: 0, generatedAt: NOW.toISOString() })).rejects.toThrow('Not a billing month');
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('resolveLocalFile', () => {
  const ROOT = path.resolve('/srv/data/files');

  it('maps a path of the layout to its file under the root, ignoring a query string', () => {
    expect(resolveLocalFile(ROOT, '/_local/files/invoices/2024-05/part-003.csv')).toBe(path.join(ROOT, 'invoices', '2024-05', 'part-003.csv'));
    expect(resolveLocalFile(ROOT, '/_local/files/invoices/2024-05/manifest.json?x=1')).toBe(path.join(ROOT, 'invoices', '2024-05', 'manifest.json'));
    expect(resolveLocalFile(ROOT, '/_local/files/invoices/2024-05/part-003%2Ejsonl')).toBe(path.join(ROOT, 'invoices', '2024-05', 'part-003.jsonl'));
  });

  it.each([
    '/_local/files/invoices/2024-05/../../../etc/passwd',
    '/_local/files/../../etc/passwd',
    '/_local/files/invoices/../../../../etc/passwd',
    '/_local/files/%2e%2e/%2e%2e/etc/passwd',
    '/_local/files/invoices/2024-05/%2E%2E%2F%2E%2E%2Fmanifest.json',
    '/_local/files/invoices/%2e%2e%2f2024-05/part-000.csv',
    '/_local/files//etc/passwd',
    '/_local/files/%2Fetc%2Fpasswd',
    '/_local/files/invoices/2024-05//part-000.csv',
    '/_local/files/invoices/2024-05/part-000.csv%00.png',
    '/_local/files/invoices/2024-05/part-000.csv\0',
    '/_local/files/invoices\\2024-05\\part-000.csv',
    '/_local/files/invoices/2024-05/..\\..\\part-000.csv',
    '/_local/files/invoices/2024-05/%5c..%5cpart-000.csv',
    '/_local/files/C:/invoices/2024-05/part-000.csv',
    '/_local/files/invoices/2024-05/.part-000.csv.0b8e.tmp',
    '/_local/files/invoices/2024-05/secret.txt',
    '/_local/files/invoices/2024-13/part-000.csv',
    '/_local/files/invoices/2024-05/part-000.csv/extra',
    '/_local/files/invoices/2024-05/%E0%A4%A',
    '/_local/filesx/invoices/2024-05/part-000.csv',
    '/invoices/2024-05/part-000.csv',
    '/_local/files/',
  ])('refuses %j', (urlPath) => {
    expect(resolveLocalFile(ROOT, urlPath)).toBeNull();
  });

  it('names the content type of each file', () => {
    expect(localFileContentType('/x/part-000.csv')).toBe('text/csv; charset=utf-8');
    expect(localFileContentType('/x/part-000.jsonl')).toBe('application/x-ndjson');
    expect(localFileContentType('/x/manifest.json')).toBe(CONTENT_TYPES.json);
  });
});
