import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/security/client-address.js';

describe('clientAddress', () => {
  it("is the socket's peer unless proxies are trusted", () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7', 0)).toBe('10.0.0.5');
    expect(clientAddress(undefined, null, 0)).toBe('unknown');
  });

  it('reads X-Forwarded-For from the right, as many entries as there are trusted proxies', () => {
    // The client said "1.1.1.1" itself; the one trusted proxy saw 203.0.113.7.
    expect(clientAddress('10.0.0.5', '1.1.1.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '1.1.1.1, 203.0.113.7, 10.0.0.4', 2)).toBe('203.0.113.7');
    // Fewer entries than proxies (the request did not come through them all), or none: the peer.
    expect(clientAddress('10.0.0.5', '203.0.113.7', 3)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', ' , ', 1)).toBe('10.0.0.5');
  });

  it('counts an IPv4 address written as IPv6 as itself, and an IPv6 address by its /64', () => {
    expect(clientAddress('::ffff:203.0.113.7', null, 0)).toBe('203.0.113.7');
    expect(clientAddress('2001:db8:0:1:aaaa::1', null, 0)).toBe('2001:db8:0:1::/64');
    expect(clientAddress('2001:db8:0:1:bbbb:cccc:dddd:eeee', null, 0)).toBe('2001:db8:0:1::/64');
    expect(clientAddress('::1', null, 0)).toBe('0:0:0:0::/64');
    expect(clientAddress('10.0.0.5', '2001:DB8::7', 1)).toBe('2001:db8:0:0::/64');
  });
});
