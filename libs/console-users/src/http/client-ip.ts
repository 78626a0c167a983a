import { BlockList, isIP } from 'node:net';
import { ConsoleRequest, headerValue, peerAddress } from './http-types';

/**
 * Which proxies are trusted to append to `X-Forwarded-For`: none (`false`), a hop count, or a
 * list of addresses/CIDRs. Only then is the header believed, read right to left.
 */
export type TrustProxySetting = false | number | string[];

/** Resolves the client address of a request under a {@link TrustProxySetting}. */
export class ClientIpResolver {
  private readonly trusted?: BlockList;

  constructor(private readonly setting: TrustProxySetting) {
    if (Array.isArray(setting)) {
      this.trusted = new BlockList();
      for (const entry of setting) {
        addToBlockList(this.trusted, entry);
      }
    }
  }

  resolve(request: ConsoleRequest): string {
    const peer = normalize(peerAddress(request));
    if (this.setting === false) {
      return peer;
    }
    const forwarded = (headerValue(request, 'x-forwarded-for') ?? '')
      .split(',')
      .map((s) => normalize(s.trim()))
      .filter((s) => isIP(s) !== 0);
    if (typeof this.setting === 'number') {
      // The peer is hop 0; each trusted hop appended one entry on the right.
      const chain = [...forwarded, peer];
      const index = Math.max(0, chain.length - 1 - this.setting);
      return chain[index] ?? peer;
    }
    let client = peer;
    for (let i = forwarded.length; i >= 0; i--) {
      if (!this.isTrusted(client)) {
        return client;
      }
      if (i === 0) {
        return client;
      }
      client = forwarded[i - 1]!;
    }
    return client;
  }

  private isTrusted(address: string): boolean {
    if (!this.trusted) {
      return false;
    }
    const family = isIP(address);
    if (family === 0) {
      return false;
    }
    return this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function addToBlockList(list: BlockList, entry: string): void {
  const [address, prefix] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0) {
    throw new Error(`not an IP address or CIDR: ${entry}`);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) {
    list.addAddress(address!, type);
    return;
  }
  // A bare "/" must not read as /0, which would trust every address.
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!Number.isInteger(bits) || bits > (family === 6 ? 128 : 32)) {
    throw new Error(`bad CIDR prefix: ${entry}`);
  }
  list.addSubnet(address!, bits, type);
}

/** Parses a TRUST_PROXY value; throws with a readable message when it is malformed. */
export function parseTrustProxy(raw: string | undefined): TrustProxySetting {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'off' || value === 'false' || value === '0') {
    return false;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const probe = new BlockList();
  for (const entry of entries) {
    addToBlockList(probe, entry);
  }
  return entries;
}
