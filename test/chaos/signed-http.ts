import { request as httpRequest, type Agent } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { decodeCbor } from '../../services/gateway/src/protocol';

export interface Signing {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  signingDate?: Date;
}

export interface WireRequest {
  method: string;
  /** The path as it goes on the wire (percent-encoded as the client chose), with its query. */
  path: string;
  headers: Record<string, string>;
  /** Text, or bytes (CBOR, or text that is not UTF-8). */
  body: string | Buffer;
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes (CBOR is not text). */
  bytes: Buffer;
  /** The AWS error code, from whichever place the protocol puts it (header, `__type`, XML `<Code>`). */
  code?: string;
  message?: string;
}

/** Signs a request with @smithy/signature-v4, what the AWS SDK for JavaScript signs with, for the host of `endpoint`. */
export async function sign(endpoint: string, request: WireRequest, signing: Signing): Promise<WireRequest> {
  const url = new URL(request.path, endpoint);
  // The path as sent, not as WHATWG URL normalises it ('%2e%2e' is a dot segment to it): the signer canonicalises it itself.
  const path = request.path.split('?')[0];
  const query: Record<string, string[]> = {};
  url.searchParams.forEach((value, key) => (query[key] = [...(query[key] ?? []), value]));
  const signer = new SignatureV4({
    service: signing.service,
    region: signing.region,
    credentials: {
      accessKeyId: signing.accessKeyId,
      secretAccessKey: signing.secretAccessKey,
      sessionToken: signing.sessionToken,
    },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host, ...request.headers },
      body: request.body,
    }),
    { signingDate: signing.signingDate },
  );
  return { ...request, headers: signed.headers as Record<string, string> };
}

/** How a request travels: over its own connection (node's global agent) unless given one, refused as hung after 30 s unless told. */
export interface SendOptions {
  agent?: Agent;
  timeoutMs?: number;
}

/**
 * Sends bytes exactly as given, over node:http (fetch would normalise them): any Host, header
 * names in any case, a header repeated (an array value sends each), a path not normalised.
 */
export function send(
  endpoint: string,
  request: Omit<WireRequest, 'headers'> & { headers: Record<string, string | string[]> },
  { agent, timeoutMs = 30_000 }: SendOptions = {},
): Promise<WireAnswer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        setHost: false,
        agent,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: bytes.toString('utf8'),
            bytes,
            ...errorOf(response.headers, bytes),
          });
        });
        response.on('error', reject);
      },
    );
    for (const [name, value] of Object.entries(request.headers)) outgoing.setHeader(name, value);
    const names = Object.keys(request.headers).map((name) => name.toLowerCase());
    if (!names.includes('host')) outgoing.setHeader('Host', url.host);
    // Node frames a GET's or DELETE's body with neither header: the server would read it as the next request.
    if (request.body.length > 0 && !names.includes('content-length') && !names.includes('transfer-encoding'))
      outgoing.setHeader('Content-Length', Buffer.byteLength(request.body));
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`${request.method} ${request.path} hung for ${timeoutMs / 1000} s`)),
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** The error code and message as an SDK reads them: x-amzn-ErrorType, else `__type` (after any `#`) of a JSON or CBOR body, else XML `<Code>`. */
function errorOf(headers: WireAnswer['headers'], bytes: Buffer): { code?: string; message?: string } {
  const text = bytes.toString('utf8');
  if (text.startsWith('<')) {
    return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
  }
  let body: Record<string, unknown> = {};
  try {
    body = (
      headers['content-type'] === 'application/cbor' ? decodeCbor(new Uint8Array(bytes)) : JSON.parse(text)
    ) as Record<string, unknown>;
  } catch {
    // Neither: no code but the header's.
  }
  const header = headers['x-amzn-errortype'];
  const type = (typeof header === 'string' ? header : undefined) ?? (body.__type as string | undefined);
  return {
    code: type?.split(':')[0].split('#').pop(),
    message: (body.message ?? body.Message) as string | undefined,
  };
}
