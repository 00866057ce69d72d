import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedHttpClientOptions {
  /** The gateway, as http://host:port. */
  endpoint: string;
  region: string;
  credentials: AccessKey;
  /** Shared by the clients of a run; see createLoadAgent. */
  agent: Agent;
  /** The credential scope's service name. */
  service?: string;
  /** What X-Amz-Target puts before the operation name. */
  targetPrefix?: string;
}

export interface CallResult {
  status: number;
  body: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** In the order the canonical request lists them: sorted by name. */
const SIGNED_HEADERS = 'content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target';

/**
 * More sockets than the load suite has simulated clients, kept alive, so that requests never wait
 * for a connection in the client and every call after the first reuses one.
 */
export function createLoadAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 128 });
}

/**
 * An awsJson1_1 client that does only what AWS requires: SigV4 over POST / and a JSON body, sent
 * as is and answered as received. The load generator uses it instead of the SDK client, whose
 * middleware, serializers and signer cost milliseconds of CPU per call, taken from the system it
 * measures when both share a small machine.
 */
export class SignedHttpClient {
  private readonly url: URL;
  private readonly service: string;
  private readonly targetPrefix: string;
  /** The signing key depends on the secret, date, region and service; only the date changes for a client. */
  private signingKey?: { date: string; key: Buffer };

  constructor(private readonly options: SignedHttpClientOptions) {
    this.url = new URL(options.endpoint);
    this.service = options.service ?? 'license-manager';
    this.targetPrefix = options.targetPrefix ?? 'AWSLicenseManager';
  }

  call(operation: string, input: unknown): Promise<CallResult> {
    const body = JSON.stringify(input);
    const headers = this.sign(body, `${this.targetPrefix}.${operation}`, new Date());
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.url.hostname, port: this.url.port, method: 'POST', path: '/', agent: this.options.agent, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The request's headers with its SigV4 Authorization, for POST / without a query. */
  private sign(body: string, target: string, now: Date): Record<string, string> {
    const amzDate = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    const date = amzDate.slice(0, 8);
    const payloadHash = sha256Hex(body);
    const host = this.url.host;
    const canonicalRequest = [
      'POST',
      '/',
      '',
      `content-type:${CONTENT_TYPE}`,
      `host:${host}`,
      `x-amz-content-sha256:${payloadHash}`,
      `x-amz-date:${amzDate}`,
      `x-amz-target:${target}`,
      '',
      SIGNED_HEADERS,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${this.options.region}/${this.service}/aws4_request`;
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    const signature = createHmac('sha256', this.keyFor(date)).update(stringToSign).digest('hex');
    return {
      host,
      'content-type': CONTENT_TYPE,
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate,
      'x-amz-target': target,
      authorization: `${ALGORITHM} Credential=${this.options.credentials.accessKeyId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    };
  }

  private keyFor(date: string): Buffer {
    if (this.signingKey?.date !== date) {
      const key = [date, this.options.region, this.service, 'aws4_request'].reduce<Buffer>(
        (previous, part) => createHmac('sha256', previous).update(part).digest(),
        Buffer.from(`AWS4${this.options.credentials.secretAccessKey}`),
      );
      this.signingKey = { date, key };
    }
    return this.signingKey.key;
  }
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}
