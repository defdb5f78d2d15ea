// How values read on the page.
export const VENDOR_NAMES: Record<string, string> = { GENESYS_CLOUD: 'Genesys Cloud', SALESFORCE_EINSTEIN: 'Einstein', CHATLAYER: 'Chatlayer' };

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return today ? at.toLocaleTimeString() : at.toLocaleString();
}

/** A vendor field's value as one line of text. */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
    return entries.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ') || '—';
  }
  return String(value);
}

export const isEscalation = (s: { outcome: string | null; status: string }) => s.outcome === 'ESCALATED' || s.status === 'TRANSFERRED';
