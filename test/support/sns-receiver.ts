import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { freePort } from './system';

/** One POST an SNS HTTP subscriber was sent, when it came, and its parsed notification. */
export interface SnsPost {
  receivedAt: number;
  headers: IncomingHttpHeaders;
  /** The raw body, to compare copies byte for byte. */
  text: string;
  body: { Type: string; MessageId: string; TopicArn: string; Subject: string; Message: string; Timestamp: string };
  /** The body's Message, parsed (a License Manager event, or CloudWatch's alarm notification). */
  message: Record<string, any>;
  /** The status it was answered, or `held` while the receiver held the answer. */
  answered: number | 'held';
}

/**
 * An SNS subscriber's HTTP endpoint (node:http) on loopback: keeps every POST and answers `status`
 * (200 unless a test refuses deliveries), or holds the answer open while `hold` is set (a delivery
 * in flight) until releaseHeld.
 */
export class SnsReceiver {
  readonly posts: SnsPost[] = [];
  url = '';
  status = 200;
  hold = false;
  private readonly held: ServerResponse[] = [];
  private server?: Server;

  async start(): Promise<void> {
    const port = await freePort();
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const body = JSON.parse(text);
        this.posts.push({
          receivedAt: Date.now(),
          headers: request.headers,
          text,
          body,
          message: JSON.parse(body.Message),
          answered: this.hold ? 'held' : this.status,
        });
        if (this.hold) this.held.push(response);
        else response.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}/sns`;
  }

  /** Every POST by its MessageId, in the order they came. */
  byMessageId(): Map<string, SnsPost[]> {
    const copies = new Map<string, SnsPost[]>();
    for (const post of this.posts) copies.set(post.body.MessageId, [...(copies.get(post.body.MessageId) ?? []), post]);
    return copies;
  }

  /** Drops the held answers' connections: the sender sees the delivery fail. */
  releaseHeld(): void {
    for (const response of this.held.splice(0)) response.destroy();
  }

  stop(): Promise<void> {
    this.releaseHeld();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
