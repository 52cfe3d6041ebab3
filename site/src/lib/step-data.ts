/**
 * A step's data as label/value pairs for the tree. Generic on purpose: every field the engine
 * records is shown (a new field appears without touching the site); the HTTP exchange and the
 * certificate chain have their own views and are left out here.
 */
const OWN_VIEW = new Set(['exchange']);

export interface DataRow {
  label: string;
  value: string;
  /** Long or structured values render as a block. */
  block: boolean;
}

export function dataRows(data: Record<string, unknown> | undefined): DataRow[] {
  if (!data || typeof data !== 'object') return [];
  const rows: DataRow[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (OWN_VIEW.has(key) || value === undefined || value === null || value === '') continue;
    // A certificate chain (objects) has its own section; a list of subjects is shown here.
    if (key === 'chain' && Array.isArray(value) && value.some((v) => typeof v === 'object')) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const text = render(value);
    rows.push({ label: labelOf(key), value: text, block: text.includes('\n') || text.length > 100 });
  }
  return rows;
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  return JSON.stringify(value, null, 2);
}

/** camelCase → "camel case"; short technical keys stay as they are. */
function labelOf(key: string): string {
  const KNOWN: Record<string, string> = { a: 'A', aaaa: 'AAAA', cname: 'CNAME', ms: 'time (ms)', alpn: 'ALPN', servername: 'SNI name' };
  return KNOWN[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
