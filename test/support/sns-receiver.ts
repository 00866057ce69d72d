import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
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
}

/** An SNS subscriber's HTTP endpoint (node:http) on loopback: keeps every POST and answers 200. */
export class SnsReceiver {
  readonly posts: SnsPost[] = [];
  url = '';
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
        });
        response.writeHead(200).end();
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

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
