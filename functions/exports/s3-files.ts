import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { YearMonth } from '../domain/calendar';
import type { Invoice } from '../domain/invoices/invoice';
import type { Clock } from '../use-cases/deps';
import {
  checkedNames,
  CONTENT_TYPES,
  type ExportFiles,
  expiryAfter,
  type Manifest,
  MANIFEST_NAME,
  manifestText,
  monthPrefix,
  type PartInfo,
  URL_LIFETIME_SECONDS,
} from './export-files';
import { writeShardParts } from './shard-parts';

export interface S3FilesOptions {
  client: S3Client;
  /** The private, encrypted, versioned bucket of docs/terms.md I6/I7: an overwrite keeps the earlier version. */
  bucket: string;
  clock: Clock;
}

/** The export files in S3 under `invoices/YYYY-MM/` (docs/invoice-files.md). */
export class S3Files implements ExportFiles {
  constructor(private readonly options: S3FilesOptions) {}

  async writeShardParts(month: YearMonth, shard: number, invoices: AsyncIterable<Invoice>): Promise<PartInfo[]> {
    const prefix = monthPrefix(month);
    return await writeShardParts(shard, invoices, async (name, body, contentType) => {
      // A stream body is sent in parts of 5 MiB, a few at a time: memory stays bounded whatever the part's size.
      await new Upload({
        client: this.options.client,
        params: { Bucket: this.options.bucket, Key: `${prefix}${name}`, Body: body, ContentType: contentType },
      }).done();
    });
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await this.options.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: `${monthPrefix(manifest.month)}${MANIFEST_NAME}`,
        Body: manifestText(manifest),
        ContentType: CONTENT_TYPES.json,
      }),
    );
  }

  async urls(month: YearMonth, names: string[]): Promise<{ urls: Record<string, string>; expiresAt: string }> {
    const prefix = monthPrefix(month);
    // Signed at the clock's time, so that expiresAt is exactly when S3 stops honouring the URLs.
    const signingDate = this.options.clock.now();
    const signed = await Promise.all(
      checkedNames(names).map(async (name) => {
        const command = new GetObjectCommand({ Bucket: this.options.bucket, Key: `${prefix}${name}` });
        return [name, await getSignedUrl(this.options.client, command, { expiresIn: URL_LIFETIME_SECONDS, signingDate })] as const;
      }),
    );
    return { urls: Object.fromEntries(signed), expiresAt: expiryAfter(signingDate) };
  }
}
