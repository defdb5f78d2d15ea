// The live session table, newest first: the first page from `sessions`, then every change from
// `sessionUpdated` with the same filter, applied as it arrives. A row that just changed flashes; an
// escalation is marked in red and in words (not by colour alone). Rows are buttons: Tab reaches them,
// Enter or Space opens the session.
import { Badge, Flex, Select, Table, Text, TextField } from '@radix-ui/themes';
import { useEffect, useRef, useState } from 'react';
import type { Api } from './api';
import { isEscalation, time, VENDOR_NAMES } from './format';
import { type Filter, SESSION_UPDATES, SESSIONS, type SessionRow, type Status, type Vendor } from './operations';

const LIMIT = 200;
const ALL = 'all';

function filterArg(filter: Filter): Record<string, unknown> | null {
  const arg: Record<string, unknown> = {};
  if (filter.vendors) arg.vendors = filter.vendors;
  if (filter.botIds) arg.botIds = filter.botIds;
  if (filter.statuses) arg.statuses = filter.statuses;
  return Object.keys(arg).length === 0 ? null : arg;
}

const newestFirst = (a: SessionRow, b: SessionRow) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1);

export function SessionsTable(props: {
  api: Api;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { api, filter, onFilter, selected, onSelect } = props;
  const [rows, setRows] = useState<SessionRow[] | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [botText, setBotText] = useState(filter.botIds?.[0] ?? '');

  useEffect(() => {
    let current = true;
    setRows(null);
    setError(null);
    const variables = { filter: filterArg(filter) };
    // Live changes are asked for without the status filter: a session that leaves it (it ends, it is
    // handed over) must still reach the page, to leave the table.
    const live = { filter: filterArg({ ...filter, statuses: undefined }) };
    const shown = (session: SessionRow) => !filter.statuses || filter.statuses.includes(session.status);
    const flash = (id: string) => {
      setFresh((previous) => new Set(previous).add(id));
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => {
          setFresh((previous) => {
            const next = new Set(previous);
            next.delete(id);
            return next;
          });
        }, 2000),
      );
    };
    // Changes that arrive before the first page are kept and applied over it.
    const early: SessionRow[] = [];
    const apply = (session: SessionRow) => {
      if (shown(session)) flash(session.id);
      setRows((previous) => {
        if (previous === null) {
          early.push(session);
          return previous;
        }
        const others = previous.filter((row) => row.id !== session.id);
        return shown(session) ? [session, ...others].sort(newestFirst).slice(0, LIMIT) : others;
      });
    };
    const stop = api.subscribe<{ sessionUpdated: { kind: string; session: SessionRow } }>(
      SESSION_UPDATES,
      live,
      (data) => apply(data.sessionUpdated.session),
      (failure) => current && setError(failure.message),
    );
    api
      .query<{ sessions: { edges: { node: SessionRow }[] } }>(SESSIONS, variables)
      .then((data) => {
        if (!current) return;
        const byId = new Map(data.sessions.edges.map((e) => [e.node.id, e.node]));
        for (const session of early) {
          if (shown(session)) byId.set(session.id, session);
          else byId.delete(session.id);
        }
        setRows([...byId.values()].sort(newestFirst).slice(0, LIMIT));
      })
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
      stop();
    };
  }, [api, filter]);

  const choose = (name: 'vendors' | 'statuses', value: string) => onFilter({ ...filter, [name]: value === ALL ? undefined : [value] });

  return (
    <section aria-labelledby="sessions-heading">
      <Flex justify="between" align="end" wrap="wrap" gap="3" mb="2">
        <Text as="p" size="4" weight="bold" id="sessions-heading">
          Sessions
        </Text>
        <Flex gap="2" wrap="wrap" align="center">
          <Text as="label" size="2" id="vendor-label">
            Vendor
          </Text>
          <Select.Root value={filter.vendors?.[0] ?? ALL} onValueChange={(v) => choose('vendors', v)}>
            <Select.Trigger aria-labelledby="vendor-label" />
            <Select.Content>
              <Select.Item value={ALL}>All vendors</Select.Item>
              {(['GENESYS_CLOUD', 'SALESFORCE_EINSTEIN', 'CHATLAYER'] as Vendor[]).map((v) => (
                <Select.Item key={v} value={v}>
                  {VENDOR_NAMES[v]}
                </Select.Item>
              ))}
            </Select.Content>
          </Select.Root>
          <Text as="label" size="2" id="status-label">
            Status
          </Text>
          <Select.Root value={filter.statuses?.[0] ?? ALL} onValueChange={(v) => choose('statuses', v)}>
            <Select.Trigger aria-labelledby="status-label" />
            <Select.Content>
              <Select.Item value={ALL}>Any status</Select.Item>
              {(['ACTIVE', 'ENDED', 'TRANSFERRED'] as Status[]).map((s) => (
                <Select.Item key={s} value={s}>
                  {s.toLowerCase()}
                </Select.Item>
              ))}
            </Select.Content>
          </Select.Root>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              onFilter({ ...filter, botIds: botText.trim() === '' ? undefined : [botText.trim()] });
            }}
          >
            <label htmlFor="bot-filter">
              <Text size="2">Bot </Text>
            </label>
            <TextField.Root id="bot-filter" placeholder="bot id, then Enter" value={botText} onChange={(e) => setBotText(e.target.value)} />
          </form>
        </Flex>
      </Flex>
      {error && (
        <Text as="p" color="red" role="alert">
          {error}
        </Text>
      )}
      {rows === null && !error && <Text color="gray">Loading sessions…</Text>}
      {rows !== null && rows.length === 0 && (
        <Text as="p" color="gray" data-testid="no-sessions">
          No sessions yet{filterArg(filter) ? ' for this filter' : ''}. New ones appear here as they arrive.
        </Text>
      )}
      {rows !== null && rows.length > 0 && (
        <Table.Root variant="surface" size="1" aria-label="Sessions, newest first">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Vendor</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Bot</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Channel</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Outcome</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Last activity</Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((row) => {
              const escalated = isEscalation(row);
              return (
                <Table.Row
                  key={row.id}
                  data-testid="session-row"
                  data-external-id={row.externalId}
                  data-escalated={escalated}
                  data-fresh={fresh.has(row.id)}
                  aria-selected={row.id === selected}
                  tabIndex={0}
                  role="row"
                  style={{ cursor: 'pointer' }}
                  onClick={() => onSelect(row.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      onSelect(row.id);
                    }
                  }}
                >
                  <Table.Cell>{VENDOR_NAMES[row.vendor] ?? row.vendor}</Table.Cell>
                  <Table.Cell>{row.botId ?? '—'}</Table.Cell>
                  <Table.Cell>{row.channel ?? '—'}</Table.Cell>
                  <Table.Cell>{row.status.toLowerCase()}</Table.Cell>
                  <Table.Cell>
                    {escalated ? (
                      <Badge color="red" variant="soft" highContrast>
                        escalated
                      </Badge>
                    ) : row.outcome ? (
                      <Badge color="gray">{row.outcome.toLowerCase().replace(/_/g, ' ')}</Badge>
                    ) : (
                      '—'
                    )}
                  </Table.Cell>
                  <Table.Cell>{time(row.lastActiveAt)}</Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      )}
    </section>
  );
}
