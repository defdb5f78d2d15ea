// What the connectors are configured with (parsed from the environment in ../config.ts).

export interface GenesysSettings {
  /** `https://api.<region domain>`. */
  apiUrl: string;
  /** `https://login.<region domain>`: the OAuth token endpoint's host. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** The bot flows to read; null: every bot flow the Flows API lists. */
  botFlowIds: string[] | null;
  /** External contacts whose journey sessions are read (Genesys lists journey sessions only per contact); empty: none. */
  journeyContactIds: string[];
  /** Requests per minute this client may send (Genesys documents 300 per OAuth client). */
  requestsPerMinute: number;
}

export interface SalesforceSettings {
  /** The org's My Domain URL (`https://<my domain>.my.salesforce.com`): REST API requests go here. */
  instanceUrl: string;
  /** Where the token endpoint (`/services/oauth2/token`) is: the My Domain URL too, unless set apart. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** The REST API version, e.g. `62.0`. */
  apiVersion: string;
  /** `ChannelType` values whose sessions are not read (those the recording proxy already records). */
  skipChannelTypes: string[];
  /** Requests per minute (Salesforce counts API requests per org per 24 hours; this spreads them). */
  requestsPerMinute: number;
}

export interface ConnectorSettings {
  /** Null when GENESYS_CLIENT_ID is not set. */
  genesys: GenesysSettings | null;
  /** Null when SALESFORCE_CLIENT_ID is not set. */
  salesforce: SalesforceSettings | null;
  /** The org's Einstein Bot Runtime API base URL the recording proxy forwards to; null: the proxy is off. */
  einsteinRuntimeUrl: string | null;
  /** The gateway runs the configured connectors this often; null: only `npm run sync`. */
  intervalSeconds: number | null;
  /** The tenant (slug) scheduled runs write into. */
  tenant: string;
  /** Each run re-reads this much before the watermark, so data the vendor publishes late is not missed. */
  overlapSeconds: number;
  /** How far back a first run reads (the vendor's retention: Genesys keeps bot flow data ~10 days). */
  firstRunDays: number;
}

export const DEFAULT_CONNECTOR_SETTINGS: Omit<ConnectorSettings, 'genesys' | 'salesforce' | 'einsteinRuntimeUrl'> = {
  intervalSeconds: null,
  tenant: 'default',
  overlapSeconds: 3600,
  firstRunDays: 10,
};

export const GENESYS_REQUESTS_PER_MINUTE = 300;
export const SALESFORCE_REQUESTS_PER_MINUTE = 60;
export const SALESFORCE_API_VERSION = '62.0';

/**
 * Genesys Cloud regions by their AWS names (developer.genesys.cloud, "Platform API" regions); a region
 * may also be given by its domain (`mypurecloud.ie`).
 */
export const GENESYS_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
};

/** The region's domain, from an AWS region name or a domain; null when it is neither. */
export function genesysDomain(region: string): string | null {
  const value = region.trim().toLowerCase();
  if (Object.hasOwn(GENESYS_REGIONS, value)) return GENESYS_REGIONS[value] ?? null;
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value) ? value.replace(/^(api|login)\./, '') : null;
}

/** The connectors `npm run sync --vendor` and the schedule know. */
export const CONNECTORS = ['genesys', 'salesforce'] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

/** Whether `connector` has what it needs in `settings` to run. */
export function isConfigured(connector: ConnectorName, settings: ConnectorSettings): boolean {
  return settings[connector] !== null;
}
