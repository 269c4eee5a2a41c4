import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Whose `X-Forwarded-For` the gateway believes: only the proxies an operator lists in
 * `TRUST_PROXY`, none by default. Anything else on the way (another process on the host, a
 * client) would otherwise pick its own address for the per-address rate limit and identity's
 * throttles and security log.
 */
export type TrustedProxies = (address: string) => boolean;

const ACCEPTED = 'TRUST_PROXY must be a comma-separated list of the IP addresses or CIDR ranges of your proxies (e.g. 10.0.0.5,10.1.0.0/16), or unset to trust none';

/** `TRUST_PROXY` read: each entry an IPv4/IPv6 address or CIDR range; anything else (`1`, `true`, `loopback`) throws, naming it. */
export function trustedProxies(text: string | undefined): TrustedProxies {
  const list = new BlockList();
  for (const entry of (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!version || rest.length || Number.isNaN(bits) || (bits !== null && bits > (version === 4 ? 32 : 128))) {
      throw new Error(`${ACCEPTED}; got "${entry}"`);
    }
    const type = version === 4 ? 'ipv4' : 'ipv6';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (address) => {
    const plain = address.split('%')[0]!;
    const version = isIP(plain);
    // BlockList matches an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) against IPv4 entries too.
    return version !== 0 && list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The caller's address: the connection's peer, or, while that peer is a trusted proxy, the hop
 * before it in `X-Forwarded-For` (read from the right: each proxy appends the address it saw, and
 * what a client wrote itself sits further left, past the first untrusted hop). Every transport
 * takes the address from here (queries, SSE, multipart, and the graphql-ws upgrades Express never
 * sees); Express's `trust proxy` gets the same list, so its `req.ip` would agree.
 */
export function clientAddressOf(request: IncomingMessage, trusted: TrustedProxies): string | undefined {
  let address = request.socket.remoteAddress;
  if (!address || !trusted(address)) return address;
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (const hop of forwarded.reverse()) {
    address = hop;
    if (!trusted(hop)) break;
  }
  return address;
}
