// Today's figures (since local midnight, in the browser's time zone): sessions, active now,
// containment, escalation — from botMetrics, kept current by botMetricsUpdated (at most once a second).
import { Card, Flex, Text } from '@radix-ui/themes';
import { useEffect, useState } from 'react';
import type { Api } from './api';
import { percent } from './format';
import { ACTIVE, type Figures, TODAY, TODAY_UPDATES } from './operations';

function todayArgs() {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return { filter: { createdAfter: midnight.toISOString() }, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

export function FiguresStrip({ api }: { api: Api }) {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [active, setActive] = useState<number | null>(null);
  // Today is a new day at midnight: the figures start again from there.
  const [day, setDay] = useState(() => new Date().toDateString());
  useEffect(() => {
    // Checked every minute (a timer set for midnight would drift across a laptop's sleep); the same day
    // again changes nothing.
    const timer = setInterval(() => setDay(new Date().toDateString()), 60_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    void day;
    setFigures(null);
    const args = todayArgs();
    let current = true;
    api
      .query<{ botMetrics: Figures[]; active: { totalCount: number } }>(TODAY, args)
      .then((data) => {
        if (!current) return;
        setFigures(data.botMetrics[0] ?? null);
        setActive(data.active.totalCount);
      })
      .catch(() => {});
    const stop = api.subscribe<{ botMetricsUpdated: Figures[] }>(
      TODAY_UPDATES,
      args,
      (data) => {
        const bucket = data.botMetricsUpdated[0];
        if (bucket) setFigures(bucket.sessions === 0 ? null : bucket);
        api
          .query<{ active: { totalCount: number } }>(ACTIVE)
          .then((counted) => current && setActive(counted.active.totalCount))
          .catch(() => {});
      },
      () => {},
    );
    return () => {
      current = false;
      stop();
    };
  }, [api, day]);

  const tiles: [string, string][] = [
    ['Sessions today', figures ? String(figures.sessions) : '0'],
    ['Active now', active === null ? '—' : String(active)],
    ['Containment', percent(figures?.containmentRate)],
    ['Escalation', percent(figures?.escalationRate)],
  ];
  return (
    <Flex gap="3" wrap="wrap" role="region" aria-label="Today's figures">
      {tiles.map(([label, value]) => (
        <Card key={label} style={{ minWidth: 160 }}>
          <Text as="div" size="2" color="gray">
            {label}
          </Text>
          <Text as="div" size="6" weight="bold" data-testid={`figure-${label.toLowerCase().replace(/\s+/g, '-')}`}>
            {value}
          </Text>
        </Card>
      ))}
    </Flex>
  );
}
