// The address a request comes from, for what is counted per client (failed authentications; the rate
// limit in development mode). Behind a load balancer the socket's peer is the balancer: with
// TRUST_PROXY_HOPS = n, the address is the one the n-th proxy from us saw, read from the right of
// `X-Forwarded-For` (entries further left are whatever the client chose to send, and are never trusted).

export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedHops: number): string {
  return counted(chosen(socketAddress, forwardedFor, trustedHops));
}

/**
 * The address as it is counted: an IPv4 address in IPv6 form (`::ffff:203.0.113.7`) as IPv4, and an
 * IPv6 address by its /64, which one site (or one attacker) has whole.
 */
function counted(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== 8) return address.toLowerCase();
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function chosen(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedHops: number): string {
  const peer = socketAddress ?? 'unknown';
  if (trustedHops <= 0 || !forwardedFor) return peer;
  const hops = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // The last entry was added by the nearest proxy; with n trusted proxies, the n-th from the right is
  // the address the outermost one saw. Fewer entries: the request did not come through them all, and
  // what it carries may be the client's own invention.
  return hops.length >= trustedHops ? hops[hops.length - trustedHops]! : peer;
}

/** The socket peer of an HTTP request, from the server adapter's context. */
export function socketAddress(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
}
