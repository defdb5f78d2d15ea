// The supervisor's live page: today's figures, the live session table, and a session's pane. State
// lives here; each part renders what it is given.
import { Box, Callout, Container, Flex, Heading, Text } from '@radix-ui/themes';
import { useCallback, useEffect, useState } from 'react';
import { type Api, type ConnectionState, createApi, RefusedError } from './api';
import { FiguresStrip } from './FiguresStrip';
import { KeyForm } from './KeyForm';
import { type Filter, MONITOR_KEY_CHECK } from './operations';
import { SessionPane } from './SessionPane';
import { SessionsTable } from './SessionsTable';

const KEY_STORAGE = 'parley-monitor-key';

export type Access = { state: 'checking' } | { state: 'ok' } | { state: 'refused'; message: string } | { state: 'failed'; message: string };

export function App() {
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_STORAGE));
  const [connection, setConnection] = useState<ConnectionState>('live');
  const [access, setAccess] = useState<Access>({ state: 'checking' });
  const [filter, setFilter] = useState<Filter>({});
  const [selected, setSelected] = useState<string | null>(null);

  // One client per key, made and disposed by the same effect (so React's StrictMode, which runs an effect's
  // cleanup and then the effect again, never leaves the page with a disposed client).
  const [api, setApi] = useState<Api | null>(null);
  useEffect(() => {
    const client = createApi(key, setConnection);
    setApi(client);
    return () => client.dispose();
  }, [key]);

  // The key is checked once, before anything subscribes: a refused key is said so, not retried.
  useEffect(() => {
    setAccess({ state: 'checking' });
    if (api === null) return;
    let current = true;
    api
      .query<{ __typename: string }>(MONITOR_KEY_CHECK)
      .then(() => current && setAccess({ state: 'ok' }))
      .catch((error: unknown) => {
        if (!current) return;
        if (error instanceof RefusedError) setAccess({ state: 'refused', message: error.message });
        else setAccess({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      current = false;
    };
  }, [api]);

  // While the gateway cannot be reached, check again every few seconds: the page recovers by itself.
  useEffect(() => {
    if (access.state !== 'failed' || api === null) return;
    // A check that answers after the key changed is about the old key: ignored.
    let current = true;
    const timer = setTimeout(() => {
      api
        .query(MONITOR_KEY_CHECK)
        .then(() => current && setAccess({ state: 'ok' }))
        .catch((error: unknown) => {
          if (!current) return;
          if (error instanceof RefusedError) setAccess({ state: 'refused', message: error.message });
          else setAccess({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
        });
    }, 3000);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [access, api]);

  const useKey = useCallback((next: string | null) => {
    if (next) sessionStorage.setItem(KEY_STORAGE, next);
    else sessionStorage.removeItem(KEY_STORAGE);
    setSelected(null);
    setKey(next);
  }, []);

  const offline = access.state === 'failed' || connection === 'reconnecting';
  return (
    <Container size="4" p="4">
      <Flex justify="between" align="center" wrap="wrap" gap="3" mb="3">
        <Heading as="h1" size="6">
          Parley monitor
        </Heading>
        <KeyForm current={key} onChange={useKey} />
      </Flex>
      <Box aria-live="polite">
        {access.state === 'refused' && (
          <Callout.Root color="red" role="alert" mb="3">
            <Callout.Text>
              The gateway refused this API key: {access.message} Enter a key with the <code>read</code> scope.
            </Callout.Text>
          </Callout.Root>
        )}
        {offline && (
          <Callout.Root color="amber" role="status" mb="3" data-testid="connection-lost">
            <Callout.Text>Connection to Parley lost — reconnecting by itself…</Callout.Text>
          </Callout.Root>
        )}
      </Box>
      {access.state === 'ok' && api !== null && (
        <>
          <FiguresStrip api={api} />
          <Flex gap="4" direction={{ initial: 'column', md: 'row' }} mt="4">
            <Box flexGrow="1" minWidth="0">
              <SessionsTable api={api} filter={filter} onFilter={setFilter} selected={selected} onSelect={setSelected} />
            </Box>
            <Box width={{ initial: '100%', md: '420px' }} flexShrink="0">
              {selected ? (
                <SessionPane key={selected} api={api} id={selected} onSelect={setSelected} />
              ) : (
                <Text color="gray">Select a session to see its transcript.</Text>
              )}
            </Box>
          </Flex>
        </>
      )}
      {access.state === 'checking' && <Text color="gray">Connecting…</Text>}
    </Container>
  );
}
