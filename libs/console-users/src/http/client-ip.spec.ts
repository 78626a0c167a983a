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
  expect(sut.resolve(fastifyRequest(peer, forwardedFor))).toBe(viaExpress); // Express and Fastify agree
  return viaExpress;
}

describe('ClientIpResolver', () => {
  describe('without trust', () => {
    it('is the socket peer, whatever X-Forwarded-For says', () => {
      expect(resolve(false, '198.51.100.7')).toBe('198.51.100.7');
      expect(resolve(false, '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
      expect(resolve(false, '127.0.0.1', '203.0.113.9, 10.0.0.1')).toBe('127.0.0.1');
    });
  });

  describe('with a list of trusted proxies', () => {
    it('believes the header only when the peer is trusted', () => {
      expect(resolve(['127.0.0.1'], '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
      expect(resolve(['127.0.0.1'], '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7'); // a spoofed header from an untrusted peer
    });

    it('reads right to left and stops at the first untrusted hop', () => {
      // The client wrote "1.1.1.1" itself; the trusted proxies appended the rest.
      expect(resolve(['10.0.0.0/8'], '10.0.0.1', '1.1.1.1, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    });

    it('gives the leftmost entry when every hop is trusted', () => {
      expect(resolve(['10.0.0.0/8'], '10.0.0.1', '10.9.9.9, 10.1.2.3')).toBe('10.9.9.9');
    });

    it('falls back to the peer when the header is missing or holds no address', () => {
      expect(resolve(['127.0.0.1'], '127.0.0.1')).toBe('127.0.0.1');
      expect(resolve(['127.0.0.1'], '127.0.0.1', 'unknown')).toBe('127.0.0.1');
    });

    it('matches CIDRs of both families', () => {
      expect(resolve(['192.168.0.0/16'], '192.168.44.2', '203.0.113.9')).toBe('203.0.113.9');
      expect(resolve(['192.168.0.0/16'], '192.169.0.1', '203.0.113.9')).toBe('192.169.0.1');
      expect(resolve(['fd00::/8'], 'fd12::1', '2001:db8::7')).toBe('2001:db8::7');
      expect(resolve(['::1'], '::1', '203.0.113.9')).toBe('203.0.113.9');
    });

    it('treats IPv4-mapped IPv6 addresses as the IPv4 address', () => {
      expect(resolve(['127.0.0.1'], '::ffff:127.0.0.1', '::ffff:203.0.113.9')).toBe('203.0.113.9');
      expect(resolve(false, '::ffff:198.51.100.7')).toBe('198.51.100.7');
      expect(resolve(['10.0.0.0/8'], '::ffff:10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    });
  });

  describe('with a hop count', () => {
    it('trusts that many hops from the server, the peer being the first', () => {
      expect(resolve(1, '10.0.0.1', '1.1.1.1, 203.0.113.9')).toBe('203.0.113.9');
      expect(resolve(2, '10.0.0.1', '1.1.1.1, 203.0.113.9')).toBe('1.1.1.1');
    });

    it('never goes past the leftmost entry', () => {
      expect(resolve(5, '10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    });

    it('is the peer without a header', () => {
      expect(resolve(1, '10.0.0.1')).toBe('10.0.0.1');
    });
  });
});

describe('parseTrustProxy', () => {
  it('is off for nothing, "off", "false" and "0"', () => {
    for (const raw of [undefined, '', '  ', 'off', 'false', '0']) {
      expect(parseTrustProxy(raw)).toBe(false);
    }
  });

  it('reads a hop count', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 3 ')).toBe(3);
  });

  it('reads a comma-separated list of addresses and CIDRs', () => {
    expect(parseTrustProxy('127.0.0.1,10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(parseTrustProxy(' ::1 , fd00::/8 ,')).toEqual(['::1', 'fd00::/8']);
  });

  it('throws a readable error on anything else', () => {
    expect(() => parseTrustProxy('proxy.internal')).toThrow(/not an IP address or CIDR: proxy\.internal/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/bad CIDR prefix: 10\.0\.0\.0\/33/);
    expect(() => parseTrustProxy('::1/129')).toThrow(/bad CIDR prefix/);
    expect(() => parseTrustProxy('10.0.0.0/')).toThrow(/bad CIDR prefix/);
    expect(() => parseTrustProxy('1.5')).toThrow(/not an IP address/);
  });
});
