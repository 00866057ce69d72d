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
const AWS_JSON_1_1 = 'application/x-amz-json-1.1';
const REST_JSON = 'application/json';

/**
 * More sockets than the load suite has simulated clients, kept alive, so that requests never wait
 * for a connection in the client and every call after the first reuses one.
 */
export function createLoadAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 128 });
}

/**
 * A client of the two JSON protocols the gateway speaks that does only what AWS requires: SigV4
 * over a POST with a JSON body, sent as is and answered as received. The load generator uses it
 * instead of the SDK client, whose middleware, serializers and signer cost milliseconds of CPU
 * per call, taken from the system it measures when both share a small machine.
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

  /** A client of another awsJson API with the same endpoint, Region, credentials and agent (KMS: `kms`, `TrentService`). */
  forService(service: string, targetPrefix: string): SignedHttpClient {
    return new SignedHttpClient({ ...this.options, service, targetPrefix });
  }

  /** awsJson1_1: POST / with the operation named in X-Amz-Target. */
  call(operation: string, input: unknown): Promise<CallResult> {
    return this.post('/', AWS_JSON_1_1, JSON.stringify(input), { 'x-amz-target': `${this.targetPrefix}.${operation}` });
  }

  /**
   * restJson1 without path or query bindings: POST of the input as a JSON body to the operation's
   * requestUri (as the model spells it, already percent-encoded).
   */
  callRest(path: string, input: unknown): Promise<CallResult> {
    return this.post(path, REST_JSON, JSON.stringify(input));
  }

  private post(
    path: string,
    contentType: string,
    body: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<CallResult> {
    const headers = this.sign(path, body, { 'content-type': contentType, ...extraHeaders }, new Date());
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.url.hostname, port: this.url.port, method: 'POST', path, agent: this.options.agent, headers },
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

  /**
   * The request's headers with its SigV4 Authorization, for a POST of `body` to `path` without a
   * query. Every header sent is signed (`headers` must use lower-case names); content-length is
   * left out, as the SDK signers do, since proxies may rewrite it.
   */
  private sign(path: string, body: string, headers: Record<string, string>, now: Date): Record<string, string> {
    const amzDate = now
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    const date = amzDate.slice(0, 8);
    const payloadHash = sha256Hex(body);
    const signed: Record<string, string> = {
      ...headers,
      host: this.url.host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate,
    };
    // The canonical request lists the signed headers sorted by name.
    const names = Object.keys(signed).sort();
    const signedHeaders = names.join(';');
    const canonicalRequest = [
      'POST',
      canonicalUri(path),
      '',
      ...names.map((name) => `${name}:${signed[name]}`),
      '',
      signedHeaders,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${this.options.region}/${this.service}/aws4_request`;
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    const signature = createHmac('sha256', this.keyFor(date)).update(stringToSign).digest('hex');
    return {
      ...signed,
      'content-length': String(Buffer.byteLength(body)),
      authorization: `${ALGORITHM} Credential=${this.options.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
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

/**
 * SigV4's canonical URI for every service but S3: each segment of the path as sent, encoded once
 * more (RFC 3986). The load suite's paths are already normalized (no empty or dot segments).
 */
function canonicalUri(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One client per account, each signing with the account's first key, all sharing one agent. */
export function clientsOf(
  system: { endpoint: string; region: string },
  accounts: ReadonlyArray<{ accessKeys: AccessKey[] }>,
  agent: Agent,
): SignedHttpClient[] {
  return accounts.map(
    (account) =>
      new SignedHttpClient({
        endpoint: system.endpoint,
        region: system.region,
        credentials: account.accessKeys[0],
        agent,
      }),
  );
}
