import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CONTENT_TYPES, type Manifest } from '../../functions/exports/export-files';
import { S3Files } from '../../functions/exports/s3-files';
import { anInvoice, generated } from './invoices';

const NOW = new Date('2024-06-01T18:00:00Z');
const BUCKET = 'omakase-invoice-files';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * An S3 client whose `send` answers from memory (no network): PutObject and the multipart
 * upload of lib-storage, into a versioned bucket. Pre-signing never calls `send`.
 */
function fakeS3(options: { failUploadPart?: boolean } = {}) {
  const client = new S3Client({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });
  const versions = new Map<string, Array<{ body: Buffer; contentType: string | undefined }>>();
  const uploads = new Map<string, { key: string; contentType: string | undefined; parts: Map<number, Buffer> }>();
  const sent: string[] = [];
  const store = (key: string, body: Buffer, contentType: string | undefined) => versions.set(key, [...(versions.get(key) ?? []), { body, contentType }]);
  const bytesOf = (body: unknown): Buffer => (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body as Uint8Array));
  const respond = async (command: any): Promise<unknown> => {
    sent.push(command.constructor.name);
    const input = command.input;
    expect(input.Bucket).toBe(BUCKET);
    if (command instanceof PutObjectCommand) {
      store(input.Key, bytesOf(input.Body), input.ContentType);
      return { ETag: '"put"' };
    }
    if (command instanceof CreateMultipartUploadCommand) {
      const uploadId = `upload-${uploads.size + 1}`;
      uploads.set(uploadId, { key: input.Key, contentType: input.ContentType, parts: new Map() });
      return { UploadId: uploadId };
    }
    if (command instanceof UploadPartCommand) {
      if (options.failUploadPart) throw Object.assign(new Error('SlowDown'), { name: 'SlowDown' });
      uploads.get(input.UploadId)!.parts.set(input.PartNumber, bytesOf(input.Body));
      return { ETag: `"part-${input.PartNumber}"` };
    }
    if (command instanceof CompleteMultipartUploadCommand) {
      const upload = uploads.get(input.UploadId)!;
      store(upload.key, Buffer.concat(input.MultipartUpload.Parts.map((part: any) => upload.parts.get(part.PartNumber))), upload.contentType);
      uploads.delete(input.UploadId);
      return { Location: `https://${BUCKET}.s3.ap-northeast-1.amazonaws.com/${upload.key}` };
    }
    if (command instanceof AbortMultipartUploadCommand) {
      uploads.delete(input.UploadId);
      return {};
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  // `send` also has a callback overload returning void; the fake answers the promise one only.
  jest.spyOn(client, 'send').mockImplementation(respond as never);
  const latest = (key: string) => versions.get(key)?.at(-1);
  return { client, versions, uploads, sent, latest };
}

const filesOn = (s3: ReturnType<typeof fakeS3>) => new S3Files({ client: s3.client, bucket: BUCKET, clock: { now: () => NOW } });

describe('S3Files', () => {
  it('uploads the shard as invoices/YYYY-MM/part-NNN.csv and .jsonl, with the SHA-256 of the stored bytes', async () => {
    const s3 = fakeS3();
    const parts = await filesOn(s3).writeShardParts('2024-05', 3, generated(4).invoices);
    expect([...s3.versions.keys()].sort()).toEqual(['invoices/2024-05/part-003.csv', 'invoices/2024-05/part-003.jsonl']);
    for (const part of parts) {
      const stored = s3.latest(`invoices/2024-05/${part.part}`)!;
      expect(part.sha256).toBe(sha256(stored.body));
      expect(part.bytes).toBe(stored.body.length);
      expect(stored.contentType).toBe(CONTENT_TYPES[part.format]);
    }
    expect(parts.map((part) => part.rows)).toEqual([8, 4]);
    expect(s3.latest('invoices/2024-05/part-003.csv')!.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('streams a large part as a multipart upload, its bytes the ones hashed', async () => {
    const s3 = fakeS3();
    // ~13 MB of CSV: more than two 5 MiB parts.
    const big = generated(2000, (i) => anInvoice({ invoiceId: `INV-${i}`, customer: { customerId: `C-${i}`, name: 'あ'.repeat(1000) } }));
    const parts = await filesOn(s3).writeShardParts('2024-05', 0, big.invoices);
    const csv = s3.latest('invoices/2024-05/part-000.csv')!;
    expect(csv.body.length).toBeGreaterThan(10 * 2 ** 20);
    expect(s3.sent.filter((name) => name === 'UploadPartCommand').length).toBeGreaterThanOrEqual(3);
    expect(parts[0]).toMatchObject({ rows: 4000, bytes: csv.body.length, sha256: sha256(csv.body) });
    expect(parts[1]).toMatchObject({ rows: 2000, sha256: sha256(s3.latest('invoices/2024-05/part-000.jsonl')!.body) });
  });

  it('replaces the part on a rerun (a new version in the versioned bucket)', async () => {
    const s3 = fakeS3();
    const files = filesOn(s3);
    await files.writeShardParts('2024-05', 1, generated(3).invoices);
    const parts = await files.writeShardParts('2024-05', 1, generated(1).invoices);
    expect(s3.versions.get('invoices/2024-05/part-001.jsonl')).toHaveLength(2);
    expect(parts[1]).toMatchObject({ rows: 1, sha256: sha256(s3.latest('invoices/2024-05/part-001.jsonl')!.body) });
  });

  it('aborts the multipart upload and rejects when S3 fails a part', async () => {
    const s3 = fakeS3({ failUploadPart: true });
    const big = generated(2000, (i) => anInvoice({ invoiceId: `INV-${i}`, customer: { customerId: `C-${i}`, name: 'あ'.repeat(1000) } }));
    await expect(filesOn(s3).writeShardParts('2024-05', 0, big.invoices)).rejects.toThrow('SlowDown');
    expect(s3.sent).toContain('AbortMultipartUploadCommand');
    expect(s3.uploads.size).toBe(0);
    expect(s3.latest('invoices/2024-05/part-000.csv')).toBeUndefined();
  });

  it('writes the manifest as invoices/YYYY-MM/manifest.json', async () => {
    const s3 = fakeS3();
    const manifest: Manifest = { month: '2024-05', parts: [], invoices: 0, generatedAt: NOW.toISOString() };
    await filesOn(s3).writeManifest(manifest);
    const stored = s3.latest('invoices/2024-05/manifest.json')!;
    expect(JSON.parse(stored.body.toString('utf8'))).toEqual(manifest);
    expect(stored.contentType).toBe('application/json');
  });

  it('pre-signs GetObject URLs valid for 300 s from the clock, without calling S3', async () => {
    const s3 = fakeS3();
    const { urls, expiresAt } = await filesOn(s3).urls('2024-05', ['part-003.csv', 'manifest.json']);
    expect(Object.keys(urls)).toEqual(['part-003.csv', 'manifest.json']);
    const url = new URL(urls['part-003.csv']);
    expect(`${url.origin}${url.pathname}`).toBe(`https://${BUCKET}.s3.ap-northeast-1.amazonaws.com/invoices/2024-05/part-003.csv`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20240601T180000Z');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(urls['manifest.json']).pathname).toBe('/invoices/2024-05/manifest.json');
    expect(expiresAt).toBe('2024-06-01T18:05:00.000Z');
    expect(s3.sent).toEqual([]);
  });

  it('refuses to sign a name outside the layout', async () => {
    await expect(filesOn(fakeS3()).urls('2024-05', ['../../other/secret.csv'])).rejects.toThrow('Not export file names');
  });
});
