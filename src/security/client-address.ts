// The address a request comes from, for what is counted per client (failed authentications; the rate
// limit in development mode). Behind a load balancer the socket's peer is the balancer: with
// TRUST_PROXY_HOPS = n, the address is the one the n-th proxy from us saw, read from the right of
// `X-Forwarded-For` (entries further left are whatever the client chose to send, and are never trusted).

export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedHops: number): string {
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
