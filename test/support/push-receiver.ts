import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedNotification {
  readonly headers: IncomingHttpHeaders;
  readonly body: { eventType: string; accountId: string | null; objectType: string; objectId: string | null; metaData: string | null };
}

/** A webhook receiver on the loopback: records every POST and answers `status()` (200 by default). */
export interface PushReceiver {
  readonly url: string;
  readonly received: ReceivedNotification[];
  status: () => number;
  /** Runs while a POST is being answered (e.g. to look at the database meanwhile). */
  onRequest?: () => Promise<void>;
  ofType(eventType: string): ReceivedNotification[];
  close(): Promise<void>;
}

export async function startPushReceiver(): Promise<PushReceiver> {
  const received: ReceivedNotification[] = [];
  const holder: { server?: Server } = {};
  const receiver: PushReceiver = {
    url: '',
    received,
    status: () => 200,
    ofType: (eventType) => received.filter((notification) => notification.body.eventType === eventType),
    close: () => new Promise((resolve) => (holder.server ? holder.server.close(() => resolve()) : resolve())),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedNotification['body'] });
      void (receiver.onRequest?.() ?? Promise.resolve()).finally(() => {
        response.statusCode = receiver.status();
        response.end();
      });
    });
  });
  holder.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/callmeback` });
}
