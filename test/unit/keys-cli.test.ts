// The keys CLI's command line: every bad input is a UsageError (exit 2) before the database opens.
import { describe, expect, it } from 'vitest';
import { parseKeysArgs, parseRevokeTarget, UsageError } from '../../src/cli/keys-options.js';

const KEY = `pk_0123456789ab_${'A'.repeat(43)}`;

describe('parseKeysArgs', () => {
  it('reads create, list, revoke and tenant set', () => {
    expect(parseKeysArgs(['create', '--tenant', 'acme-2', '--scopes', 'pii, read,read', '--persisted-only', '--label=ops team'])).toEqual({
      command: 'create',
      tenant: 'acme-2',
      scopes: ['read', 'pii'],
      persistedOnly: true,
      label: 'ops team',
    });
    expect(parseKeysArgs(['--', 'list'])).toEqual({ command: 'list', tenant: null, json: false });
    expect(parseKeysArgs(['list', '--tenant', 'acme', '--json'])).toEqual({ command: 'list', tenant: 'acme', json: true });
    expect(parseKeysArgs(['revoke', KEY])).toEqual({ command: 'revoke', target: { by: 'key', prefix: '0123456789ab', key: KEY } });
    expect(parseKeysArgs(['tenant', 'set', '--tenant', 'acme', '--message-text-pii', 'false'])).toEqual({
      command: 'tenant-set',
      tenant: 'acme',
      messageTextIsPii: false,
    });
    expect(parseKeysArgs(['--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [[]],
    [['create', '--tenant', 'acme']],
    [['create', '--tenant', 'acme', '--scopes', '']],
    [['create', '--tenant', 'acme', '--scopes', 'read,write']],
    [['create', '--tenant', 'ACME', '--scopes', 'read']],
    [['create', '--tenant', 'a'.repeat(64), '--scopes', 'read']],
    [['create', '--tenant', 'acme', '--tenant', 'other', '--scopes', 'read']],
    [['create', '--tenant', 'acme', '--scopes', 'read', '--label', 'two\nlines']],
    [['create', '--tenant', 'acme', '--scopes', 'read', 'extra']],
    [['list', '--all']],
    [['revoke', 'a', 'b']],
    [['tenant', 'set', '--tenant', 'acme']],
    [['tenant', 'set', '--tenant', 'acme', '--message-text-pii', 'yes']],
  ])('refuses %j', (argv) => {
    expect(() => parseKeysArgs(argv)).toThrow(UsageError);
  });

  it('accepts a slug of 63 characters and a key id, a prefix with or without pk_', () => {
    expect(parseKeysArgs(['list', '--tenant', 'a'.repeat(63)])).toMatchObject({ tenant: 'a'.repeat(63) });
    expect(parseRevokeTarget('3F2504E0-4F89-41D3-9A0C-0305E82C3301')).toEqual({ by: 'id', id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
    expect(parseRevokeTarget('pk_0123456789ab')).toEqual({ by: 'prefix', prefix: '0123456789ab' });
    expect(parseRevokeTarget('0123456789ab')).toEqual({ by: 'prefix', prefix: '0123456789ab' });
    expect(() => parseRevokeTarget('pk_0123')).toThrow(UsageError);
  });
});
