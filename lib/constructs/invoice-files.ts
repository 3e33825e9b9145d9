import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where the billing run writes a month's files: `invoices/YYYY-MM/…` (rules.md I7). */
export const INVOICE_FILES_PREFIX = 'invoices/';

/**
 * How long a file is kept once replaced or deleted (its noncurrent version): 10 years.
 * I6 asks for at least 7 (2,557 days, 消費税法第57条の4⑥); a corporation with a tax
 * loss keeps its books and documents 10 years (法人税法施行規則第59条), and the 7 years
 * count from two months after the end of the taxable period, not from the issue date.
 * Current versions never expire: deleting a month's files is an operator's decision.
 */
export const NONCURRENT_FILES_KEPT = Duration.days(3_653);
/** I6's floor, in days: 7 years with their two leap days. */
export const INVOICE_RETENTION_FLOOR_DAYS = 2_557;

/** Read for a few weeks after the run (accounting, customer service), then rarely. */
const COLDER_AFTER = Duration.days(90);

/**
 * The month's invoice files (rules.md I7) in a private bucket: all public access blocked,
 * SSL only, encrypted, versioned, kept at least 7 years (I6), retained when the stack goes.
 */
export class InvoiceFiles extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Who wrote and who downloaded which file: kept as long as the files' noncurrent versions.
      lifecycleRules: [{ expiration: NONCURRENT_FILES_KEPT }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the invoice files bucket; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 rather than KMS: the files are encrypted at rest either way, and every access is
      // in the access logs; a KMS key would add a key policy and kms:Decrypt to the lookup
      // function's role for every signed download, and a request charge per object, for no reader more excluded.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'invoice-files/',
      lifecycleRules: [
        {
          id: 'KeepInvoiceFiles',
          // Glacier Instant Retrieval answers a GET at once: the export's pre-signed URLs keep working.
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: COLDER_AFTER }],
          noncurrentVersionTransitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: COLDER_AFTER }],
          noncurrentVersionExpiration: NONCURRENT_FILES_KEPT,
          // Parts of an upload the run did not finish (killed mid-file); the rerun writes the file whole.
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
  }

  /** Every object a billing run writes, and nothing else in the bucket. */
  get filesArn(): string {
    return this.bucket.arnForObjects(`${INVOICE_FILES_PREFIX}*`);
  }
}
