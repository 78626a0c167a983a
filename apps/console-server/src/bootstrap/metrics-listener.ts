import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleUsersMetrics } from '../console-users';

/**
 * METRICS_PORT: a plain HTTP listener of its own that answers `GET /actuator/prometheus` and
 * nothing else, without authentication. Its address (loopback by default) is the protection:
 * bind it where only Prometheus reaches it.
 */
export async function startMetricsListener(metrics: ConsoleUsersMetrics, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/actuator/prometheus') {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    metrics.render().then(
      (text) => {
        response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      () => {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
