import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientIpResolver, parseTrustProxy, TrustProxySetting } from './client-ip';
import type { ConsoleRequest } from './http-types';

/** An Express-shaped request (socket on the request). */
function expressRequest(peer: string, forwardedFor?: string): ConsoleRequest {
  return { method: 'GET', url: '/', headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: peer } };
}

/** A Fastify-shaped request (socket on `raw`). */
function fastifyRequest(peer: string, forwardedFor?: string): ConsoleRequest {
  return { method: 'GET', url: '/', headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, raw: { socket: { remoteAddress: peer } } };
}

function resolve(setting: TrustProxySetting, peer: string, forwardedFor?: string): string {
  const sut = new ClientIpResolver(setting);
  const viaExpress = sut.resolve(expressRequest(peer, forwardedFor));
  assert.equal(sut.resolve(fastifyRequest(peer, forwardedFor)), viaExpress, 'Express and Fastify agree');
  return viaExpress;
}

describe('ClientIpResolver', () => {
  describe('without trust', () => {
    it('is the socket peer, whatever X-Forwarded-For says', () => {
      assert.equal(resolve(false, '198.51.100.7'), '198.51.100.7');
      assert.equal(resolve(false, '198.51.100.7', '203.0.113.9'), '198.51.100.7');
      assert.equal(resolve(false, '127.0.0.1', '203.0.113.9, 10.0.0.1'), '127.0.0.1');
    });
  });

  describe('with a list of trusted proxies', () => {
    it('believes the header only when the peer is trusted', () => {
      assert.equal(resolve(['127.0.0.1'], '127.0.0.1', '203.0.113.9'), '203.0.113.9');
      assert.equal(resolve(['127.0.0.1'], '198.51.100.7', '203.0.113.9'), '198.51.100.7', 'a spoofed header from an untrusted peer');
    });

    it('reads right to left and stops at the first untrusted hop', () => {
      // The client wrote "1.1.1.1" itself; the trusted proxies appended the rest.
      assert.equal(resolve(['10.0.0.0/8'], '10.0.0.1', '1.1.1.1, 203.0.113.9, 10.1.2.3'), '203.0.113.9');
    });

    it('gives the leftmost entry when every hop is trusted', () => {
      assert.equal(resolve(['10.0.0.0/8'], '10.0.0.1', '10.9.9.9, 10.1.2.3'), '10.9.9.9');
    });

    it('falls back to the peer when the header is missing or holds no address', () => {
      assert.equal(resolve(['127.0.0.1'], '127.0.0.1'), '127.0.0.1');
      assert.equal(resolve(['127.0.0.1'], '127.0.0.1', 'unknown'), '127.0.0.1');
    });

    it('matches CIDRs of both families', () => {
      assert.equal(resolve(['192.168.0.0/16'], '192.168.44.2', '203.0.113.9'), '203.0.113.9');
      assert.equal(resolve(['192.168.0.0/16'], '192.169.0.1', '203.0.113.9'), '192.169.0.1');
      assert.equal(resolve(['fd00::/8'], 'fd12::1', '2001:db8::7'), '2001:db8::7');
      assert.equal(resolve(['::1'], '::1', '203.0.113.9'), '203.0.113.9');
    });

    it('treats IPv4-mapped IPv6 addresses as the IPv4 address', () => {
      assert.equal(resolve(['127.0.0.1'], '::ffff:127.0.0.1', '::ffff:203.0.113.9'), '203.0.113.9');
      assert.equal(resolve(false, '::ffff:198.51.100.7'), '198.51.100.7');
      assert.equal(resolve(['10.0.0.0/8'], '::ffff:10.0.0.1', '203.0.113.9'), '203.0.113.9');
    });
  });

  describe('with a hop count', () => {
    it('trusts that many hops from the server, the peer being the first', () => {
      assert.equal(resolve(1, '10.0.0.1', '1.1.1.1, 203.0.113.9'), '203.0.113.9');
      assert.equal(resolve(2, '10.0.0.1', '1.1.1.1, 203.0.113.9'), '1.1.1.1');
    });

    it('never goes past the leftmost entry', () => {
      assert.equal(resolve(5, '10.0.0.1', '203.0.113.9'), '203.0.113.9');
    });

    it('is the peer without a header', () => {
      assert.equal(resolve(1, '10.0.0.1'), '10.0.0.1');
    });
  });
});

describe('parseTrustProxy', () => {
  it('is off for nothing, "off", "false" and "0"', () => {
    for (const raw of [undefined, '', '  ', 'off', 'false', '0']) {
      assert.equal(parseTrustProxy(raw), false, String(raw));
    }
  });

  it('reads a hop count', () => {
    assert.equal(parseTrustProxy('1'), 1);
    assert.equal(parseTrustProxy(' 3 '), 3);
  });

  it('reads a comma-separated list of addresses and CIDRs', () => {
    assert.deepEqual(parseTrustProxy('127.0.0.1,10.0.0.0/8'), ['127.0.0.1', '10.0.0.0/8']);
    assert.deepEqual(parseTrustProxy(' ::1 , fd00::/8 ,'), ['::1', 'fd00::/8']);
  });

  it('throws a readable error on anything else', () => {
    assert.throws(() => parseTrustProxy('proxy.internal'), /not an IP address or CIDR: proxy\.internal/);
    assert.throws(() => parseTrustProxy('10.0.0.0/33'), /bad CIDR prefix: 10\.0\.0\.0\/33/);
    assert.throws(() => parseTrustProxy('::1/129'), /bad CIDR prefix/);
    assert.throws(() => parseTrustProxy('10.0.0.0/'), /bad CIDR prefix/);
    assert.throws(() => parseTrustProxy('1.5'), /not an IP address/);
  });
});
