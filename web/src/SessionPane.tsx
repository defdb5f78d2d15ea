// One session: its transcript as it grows (`sessionMessages`), the vendor's own fields, and the other
// sessions of the same conversation (each opens in this pane).
import { Badge, Button, Card, DataList, Flex, Heading, Text } from '@radix-ui/themes';
import { useEffect, useRef, useState } from 'react';
import type { Api } from './api';
import { fieldText, isEscalation, time, VENDOR_NAMES } from './format';
import { type MessageRow, SESSION, SESSION_MESSAGES, type SessionDetail, VENDOR_FIELDS } from './operations';

export function SessionPane({ api, id, onSelect }: { api: Api; id: string; onSelect: (id: string) => void }) {
  const [session, setSession] = useState<SessionDetail | null>(null);
  const [messages, setMessages] = useState<MessageRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const transcript = useRef<HTMLOListElement>(null);

  useEffect(() => {
    let current = true;
    const add = (message: MessageRow) => setMessages((previous) => (previous.some((m) => m.id === message.id) ? previous : [...previous, message]));
    // Subscribed first, so a message stored while the page loads is not missed (duplicates are dropped).
    const stop = api.subscribe<{ sessionMessages: MessageRow }>(
      SESSION_MESSAGES,
      { id },
      (data) => add(data.sessionMessages),
      (failure) => current && setError(failure.message),
    );
    api
      .query<{ node: SessionDetail | null }>(SESSION, { id })
      .then((data) => {
        if (!current) return;
        if (data.node === null) {
          setError('This session is not visible to this key.');
          return;
        }
        setSession(data.node);
        setMessages((live) => {
          const loaded = data.node!.messages.edges.map((e) => e.node);
          return [...loaded, ...live.filter((m) => !loaded.some((l) => l.id === m.id))];
        });
      })
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
      stop();
    };
  }, [api, id]);

  // Follow the transcript as it grows.
  useEffect(() => {
    const list = transcript.current;
    if (list && messages.length > 0) list.scrollTop = list.scrollHeight;
  }, [messages]);

  if (error)
    return (
      <Text color="red" role="alert">
        {error}
      </Text>
    );
  if (!session) return <Text color="gray">Loading the session…</Text>;
  const others = session.conversation?.sessions.edges.map((e) => e.node).filter((s) => s.id !== session.id) ?? [];
  return (
    <Card asChild>
      <section aria-labelledby="session-heading" data-testid="session-pane">
        <Heading as="h2" size="4" id="session-heading">
          {VENDOR_NAMES[session.vendor] ?? session.vendor} · {session.externalId}
        </Heading>
        <Flex gap="2" my="2" wrap="wrap">
          <Badge>{session.status.toLowerCase()}</Badge>
          {session.outcome && <Badge color={isEscalation(session) ? 'red' : 'gray'}>{session.outcome.toLowerCase().replace(/_/g, ' ')}</Badge>}
          {session.channel && <Badge color="gray">{session.channel}</Badge>}
        </Flex>
        <Heading as="h3" size="3" mt="3">
          Transcript
        </Heading>
        {messages.length === 0 ? (
          <Text color="gray">No messages yet.</Text>
        ) : (
          <ol className="transcript" ref={transcript} aria-label="Transcript" data-testid="transcript">
            {messages.map((m) => (
              <li key={m.id}>
                <Text weight="bold">{m.sender.toLowerCase()}</Text> <Text color="gray">{time(m.timestamp)}</Text>
                <br />
                <Text>{m.text ?? `(${m.type.toLowerCase()})`}</Text>
              </li>
            ))}
          </ol>
        )}
        <Heading as="h3" size="3" mt="3">
          Vendor fields
        </Heading>
        <DataList.Root size="1">
          {(VENDOR_FIELDS[session.__typename] ?? []).map((field) => (
            <DataList.Item key={field}>
              <DataList.Label>{field}</DataList.Label>
              <DataList.Value>{fieldText(session[field])}</DataList.Value>
            </DataList.Item>
          ))}
          <DataList.Item>
            <DataList.Label>created</DataList.Label>
            <DataList.Value>{time(session.createdAt)}</DataList.Value>
          </DataList.Item>
        </DataList.Root>
        <Heading as="h3" size="3" mt="3">
          Same conversation
        </Heading>
        {session.conversation === null ? (
          <Text color="gray">Not linked to a conversation.</Text>
        ) : others.length === 0 ? (
          <Text color="gray">No other session of conversation {session.conversation.externalId}.</Text>
        ) : (
          <ul>
            {others.map((s) => (
              <li key={s.id}>
                <Button variant="ghost" onClick={() => onSelect(s.id)}>
                  {VENDOR_NAMES[s.vendor] ?? s.vendor} · {s.externalId} ({s.status.toLowerCase()})
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
