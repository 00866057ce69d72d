import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ReportDestination } from '../application/report-destination';

export interface S3Settings {
  endpoint: string;
  region: string;
  /** Both or neither: without them the SDK's standard chain (AWS_ACCESS_KEY_ID..., profiles, roles) is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Reports written through the S3 API to any S3-compatible store (MinIO, Ceph, AWS S3...). */
export class S3ReportDestination implements ReportDestination {
  private readonly client: S3Client;

  constructor(settings: S3Settings) {
    const { endpoint, region, accessKeyId, secretAccessKey } = settings;
    this.client = new S3Client({
      endpoint,
      region,
      // Path-style addressing (endpoint/bucket/key) is what S3-compatible stores serve without DNS set-up.
      forcePathStyle: true,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    });
  }

  async put(bucket: string, key: string, csv: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv; charset=utf-8' }),
      );
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      throw new Error(
        `The report could not be written to S3 bucket ${bucket} (${name}: ${(error as Error).message}).`,
        {
          cause: error,
        },
      );
    }
  }
}
