// The floor's front door: a plain Node HTTP server that forwards each request's body over NATS
// request/reply to the floor responder, on the subject named after the operation of its
// X-Amz-Target, and answers with the reply as it came. No framework, no signature check, no
// validation: what the product adds on top of this is its own cost.
import { createServer } from 'node:http';
import { connect } from 'nats';

const { FLOOR_PORT, NATS_URL, FLOOR_SUBJECT } = process.env;
const nc = await connect({ servers: NATS_URL });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    try {
      const reply = await nc.request(`${FLOOR_SUBJECT}.${operation}`, Buffer.concat(chunks), { timeout: 10_000 });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(reply.data);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(FLOOR_PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.close();
  void nc.drain().then(() => process.exit(0));
});
