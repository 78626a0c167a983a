// `npm run bench:send-code` (not part of `npm test`). Measures, on SQLite:
//  1. latency of POST /users/-/send-email-verification-code while the SMTP server stalls every
//     message for 2 s (the API must not wait for SMTP), next to bare Fastify in the same run;
//  2. outbox delivery throughput to a local SMTP server.
// Every request is a different user mailing a different address, so no per-user or
// per-recipient limit answers 429; per-IP limits are raised for the benchmark server only.
import autocannon from 'autocannon';
import { cpus } from 'node:os';
import { startChild } from './support/child';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3_000);
const WARMUP = 300;
const MAILS = Number(process.env.BENCH_MAILS ?? 2_000);
const SEND_PATH = '/apis/api.console.halo.run/v1alpha1/users/-/send-email-verification-code';

interface Latency {
  requests: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function run(options: autocannon.Options): Promise<Latency> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) {
        return reject(error);
      }
      resolve({
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        rps: result.requests.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      });
    });
  });
}

/** `amount` sends, request i as user `first + i` to its own address. */
function sendCodes(baseUrl: string, tokens: string[], first: number, amount: number): Promise<Latency> {
  let next = first;
  return run({
    url: baseUrl,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        path: SEND_PATH,
        setupRequest: (request) => {
          const i = next++;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              'x-requested-with': 'XMLHttpRequest',
              cookie: `SESSION=${tokens[i]}`,
            },
            body: JSON.stringify({ email: `bench-${i}@bench.test` }),
          };
        },
      },
    ],
  });
}

function bare(baseUrl: string, amount: number): Promise<Latency> {
  return run({
    url: `${baseUrl}/send`,
    connections: CONNECTIONS,
    amount,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', cookie: 'SESSION=x' },
    body: JSON.stringify({ email: 'bench@bench.test' }),
  });
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${CONNECTIONS} connections, ${REQUESTS} requests`);

  const stalled = await startChild<{ url: string }>('smtp-sink', ['2000']);
  const server = await startChild<{ baseUrl: string; tokens: string[] }>('bench-server', [stalled.info.url, String(WARMUP + REQUESTS), 'worker']);
  const baseline = await startChild<{ baseUrl: string }>('bare-fastify');
  try {
    await bare(baseline.info.baseUrl, WARMUP);
    const fastify = await bare(baseline.info.baseUrl, REQUESTS);
    await sendCodes(server.info.baseUrl, server.info.tokens, 0, WARMUP);
    const cpuBefore = await server.ask<{ micros: number }>({ type: 'cpu' });
    const sends = await sendCodes(server.info.baseUrl, server.info.tokens, WARMUP, REQUESTS);
    const cpuAfter = await server.ask<{ micros: number }>({ type: 'cpu' });
    const delivered = await stalled.ask<{ count: number }>({ type: 'count' });

    console.log('\n## send-email-verification-code, SMTP stalling 2 s per message');
    console.log('| | requests | non-2xx | rps | p50 ms | p90 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, r] of [['bare Fastify', fastify], ['send-code', sends]] as const) {
      console.log(`| ${name} | ${r.requests} | ${r.non2xx + r.errors} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
    }
    console.log(`ratios vs bare Fastify: p50 ×${(sends.p50 / Math.max(fastify.p50, 0.001)).toFixed(1)}, p99 ×${(sends.p99 / Math.max(fastify.p99, 0.001)).toFixed(1)}, rps ×${(sends.rps / fastify.rps).toFixed(2)}`);
    console.log(`mails the stalled SMTP server had accepted when the load ended: ${delivered.count}`);
    // Wall-clock latency depends on what else runs on the machine; CPU per request does much less.
    console.log(`server CPU per send-code request (worker included): ${((cpuAfter.micros - cpuBefore.micros) / REQUESTS / 1000).toFixed(2)} ms`);
    console.log(`target p99 ≤ 25 ms: ${sends.p99 <= 25 && sends.non2xx === 0 ? 'met' : 'MISSED'}`);
  } finally {
    await Promise.all([server.stop(), baseline.stop(), stalled.stop()]);
  }

  const sink = await startChild<{ url: string }>('smtp-sink', ['0']);
  const drainer = await startChild<{ baseUrl: string }>('bench-server', [sink.info.url, '0', 'no-worker']);
  try {
    await drainer.ask({ type: 'drain', count: 100 }); // warm-up: connections, templates, JIT
    const result = await drainer.ask<{ seconds: number; sent: number; cpuMicros: number }>({ type: 'drain', count: MAILS });
    const received = await sink.ask<{ count: number }>({ type: 'count' });
    const rate = MAILS / result.seconds;
    console.log('\n## outbox delivery throughput to a local SMTP server (SQLite)');
    console.log(`${MAILS} mails in ${result.seconds.toFixed(2)} s = ${rate.toFixed(0)} mails/s; rows sent ${result.sent - 100}, mails received ${received.count - 100}`);
    console.log(`worker CPU per mail: ${(result.cpuMicros / MAILS / 1000).toFixed(2)} ms`);
    console.log(`target ≥ 200 mails/s: ${rate >= 200 && received.count - 100 === MAILS ? 'met' : 'MISSED'}`);
  } finally {
    await Promise.all([drainer.stop(), sink.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
