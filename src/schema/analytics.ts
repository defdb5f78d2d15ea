// `Query.botMetrics` and `Subscription.botMetricsUpdated`: containment, escalation, turns, durations,
// recognition and intents per time bucket and group, across vendors (../analytics/bot-metrics.ts).
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import {
  type BotMetricsBucket,
  type BotMetricsRequest,
  botMetrics,
  METRIC_DIMENSIONS,
  METRIC_INTERVALS,
  type MetricDimension,
  TooManyBucketsError,
} from '../analytics/bot-metrics.js';
import type { SessionOutcome } from '../generated/prisma/enums.js';
import type { LiveUpdate } from '../live/hub.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { SessionKindEnum, SessionOutcomeEnum, VendorEnum } from './enums.js';
import { ErrorCode, userError } from './errors.js';
import { SessionFilterInput, toSessionFilter } from './session.js';
import { subscribeLive } from './subscription.js';
import { matchesFilter } from '../live/filter.js';

const MetricDimensionEnum = builder.enumType('MetricDimension', {
  values: METRIC_DIMENSIONS,
  description: 'What buckets are grouped by, besides time: the vendor, the session kind, the bot, the channel, the language.',
});

const MetricIntervalEnum = builder.enumType('MetricInterval', {
  values: METRIC_INTERVALS,
  description: "A bucket's length in the request's time zone (a DST day has 23 or 25 hours; weeks start on Monday).",
});

const OutcomeCountRef = builder.objectRef<{ outcome: SessionOutcome; count: number }>('OutcomeCount').implement({
  fields: (t) => ({
    outcome: t.field({ type: SessionOutcomeEnum, resolve: (o) => o.outcome }),
    count: t.exposeInt('count'),
  }),
});

const DurationStatsRef = builder.objectRef<BotMetricsBucket['duration']>('DurationStats').implement({
  description: 'Seconds from `createdAt` to `endedAt` of the ended sessions that say when they ended; null when there are none.',
  fields: (t) => ({
    average: t.exposeFloat('average', { nullable: true }),
    p50: t.exposeFloat('p50', { nullable: true, description: 'The median (continuous percentile).' }),
    p90: t.exposeFloat('p90', { nullable: true, description: 'The 90th percentile (continuous).' }),
  }),
});

const IntentCountRef = builder.objectRef<{ name: string; count: number }>('IntentCount').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    count: t.exposeInt('count', { description: "The bucket's messages that carry this intent." }),
  }),
});

const MAX_TOP_INTENTS = 100;

const rate = (description: string) => ({ nullable: true, description }) as const;

const BotMetricsBucketRef = builder.objectRef<BotMetricsBucket>('BotMetricsBucket').implement({
  description: 'The figures of the sessions created in [start, end) that belong to one group. Definitions and their vendor equivalents: README, "Bot metrics".',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (b) => b.start }),
    end: t.field({ type: 'DateTime', description: 'Exclusive.', resolve: (b) => b.end }),
    vendor: t.field({ type: VendorEnum, nullable: true, description: 'Null unless grouped by VENDOR.', resolve: (b) => b.vendor }),
    kind: t.field({ type: SessionKindEnum, nullable: true, description: 'Null unless grouped by KIND.', resolve: (b) => b.kind }),
    botId: t.exposeString('botId', { nullable: true, description: 'Null unless grouped by BOT (or the sessions have no bot id).' }),
    channel: t.exposeString('channel', { nullable: true, description: 'Null unless grouped by CHANNEL (or the sessions name none).' }),
    language: t.exposeString('language', { nullable: true, description: 'Null unless grouped by LANGUAGE (or the sessions name none).' }),
    sessions: t.exposeInt('sessions'),
    ended: t.exposeInt('ended', { description: 'Sessions with an outcome.' }),
    outcomes: t.field({ type: [OutcomeCountRef], description: 'Every outcome, with its count (zero included).', resolve: (b) => b.outcomes }),
    escalated: t.exposeInt('escalated', { description: 'Outcome ESCALATED.' }),
    contained: t.exposeInt('contained', { description: 'Ended and not escalated.' }),
    abandoned: t.exposeInt('abandoned', { description: 'Outcome ABANDONED or EXPIRED.' }),
    containmentRate: t.exposeFloat('containmentRate', rate('contained / ended; null when nothing ended.')),
    escalationRate: t.exposeFloat('escalationRate', rate('escalated / ended; null when nothing ended.')),
    abandonmentRate: t.exposeFloat('abandonmentRate', rate('abandoned / ended; null when nothing ended.')),
    messages: t.exposeInt('messages', { description: 'Messages of the sessions, every sender.' }),
    userMessages: t.exposeInt('userMessages'),
    averageTurns: t.exposeFloat('averageTurns', rate('User messages per session.')),
    duration: t.field({ type: DurationStatsRef, resolve: (b) => b.duration }),
    recognitionFailureRate: t.exposeFloat(
      'recognitionFailureRate',
      rate('User turns the vendor marked as not understood / user turns it judged (Genesys ask results, Chatlayer NLP results); null when none was judged.'),
    ),
    topIntents: t.field({
      type: [IntentCountRef],
      description: "The intents of the bucket's messages, most frequent first (ties by name).",
      args: { first: t.arg.int({ required: false, defaultValue: 5, description: `1 to ${String(MAX_TOP_INTENTS)}.` }) },
      resolve: (b, args) => {
        const first = args.first ?? 5;
        if (first < 1 || first > MAX_TOP_INTENTS)
          throw userError(ErrorCode.BAD_USER_INPUT, `\`first\` must be 1 to ${String(MAX_TOP_INTENTS)}.`, { argument: 'first' });
        return b.intents.slice(0, first);
      },
    }),
  }),
});

/** Whether the selection under the field being resolved asks for any of `names` (fragments included). */
function selects(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return names.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node: FieldNode) => visit(node.selectionSet));
}

const MESSAGE_FIGURES = new Set(['messages', 'userMessages', 'averageTurns', 'recognitionFailureRate']);
const INTENT_FIGURES = new Set(['topIntents']);

/** Whether the zone is one the IANA database (as this process's ICU has it) knows. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface MetricsArgs {
  filter?: Parameters<typeof toSessionFilter>[0];
  groupBy?: readonly MetricDimension[] | null;
  interval?: (typeof METRIC_INTERVALS)[number] | null;
  timeZone?: string | null;
}

function metricsRequest(ctx: Context, args: MetricsArgs, info: GraphQLResolveInfo): BotMetricsRequest {
  const timeZone = args.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `"${timeZone.slice(0, 100)}" is not an IANA time zone (e.g. Europe/Brussels, UTC).`, { argument: 'timeZone' });
  }
  return {
    filter: { ...toSessionFilter(args.filter), tenantId: ctx.auth.tenantId },
    groupBy: [...new Set(args.groupBy ?? [])],
    interval: args.interval ?? null,
    timeZone,
    messages: selects(info, MESSAGE_FIGURES),
    intents: selects(info, INTENT_FIGURES),
  };
}

/** A zone ICU knows but PostgreSQL's database does not is the caller's mistake too. */
async function runMetrics(ctx: Context, request: BotMetricsRequest): Promise<BotMetricsBucket[]> {
  try {
    return await botMetrics(ctx.prisma, request);
  } catch (error) {
    if (error instanceof TooManyBucketsError) throw userError(ErrorCode.BAD_USER_INPUT, error.message);
    if (error instanceof Error && /time zone .* not recognized/i.test(error.message)) {
      throw userError(ErrorCode.BAD_USER_INPUT, `PostgreSQL does not know the time zone "${request.timeZone}".`, { argument: 'timeZone' });
    }
    throw error;
  }
}

builder.queryField('botMetrics', (t) =>
  t.field({
    type: [BotMetricsBucketRef],
    description:
      'Bot figures across vendors per time bucket and group: containment, escalation, turns, durations, recognition, intents. README, "Bot metrics".',
    args: {
      filter: t.arg({ type: SessionFilterInput, required: false }),
      groupBy: t.arg({ type: [MetricDimensionEnum], required: false, description: 'Besides time; none: one group.' }),
      interval: t.arg({
        type: MetricIntervalEnum,
        required: false,
        description: "Omitted: one bucket for the whole range (the filter's dates, else the data's).",
      }),
      timeZone: t.arg.string({ required: false, description: 'An IANA zone for the bucket boundaries; default UTC.' }),
    },
    resolve: (_root, args, ctx, info) => runMetrics(ctx, metricsRequest(ctx, args, info)),
  }),
);

/** The updates that may change the figures: the filter without its status and outcome. */
function mayChange(request: BotMetricsRequest): (update: LiveUpdate) => boolean {
  const { statuses: _statuses, outcomes: _outcomes, ...loose } = request.filter;
  const counted = request.messages || request.intents;
  return (update) => (counted || update.kind !== 'MESSAGE_ADDED') && matchesFilter(update.session, loose);
}

builder.subscriptionField('botMetricsUpdated', (t) =>
  t.field({
    type: [BotMetricsBucketRef],
    description:
      'The botMetrics buckets that changed, at most once a second while sessions matching the filter change; every bucket first. A bucket whose last session left it comes with zeros.',
    args: {
      filter: t.arg({ type: SessionFilterInput, required: false }),
      groupBy: t.arg({ type: [MetricDimensionEnum], required: false }),
      interval: t.arg({ type: MetricIntervalEnum, required: false }),
      timeZone: t.arg.string({ required: false }),
    },
    subscribe: async (_root, args, ctx, info) => {
      const request = metricsRequest(ctx, args, info);
      const stream = await subscribeLive(ctx, null, mayChange(request), { botIds: request.filter.botIds ?? null });
      // Equal subscriptions share one recount per change (../live/metrics-feeds.ts).
      return ctx.metricsFeeds.subscribe(JSON.stringify(request), ctx.auth.tenantId, () => runMetrics(ctx, request), stream);
    },
    resolve: (buckets) => buckets,
  }),
);
