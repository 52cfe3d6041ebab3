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
    if (OWN_VIEW.has(key) || !present(value)) continue;
    // A certificate chain (objects) has its own section; a list of subjects is shown here.
    if (key === 'chain' && Array.isArray(value) && value.some(isRecord)) continue;
    const text = render(value, key);
    if (text === '') continue;
    rows.push({ label: labelOf(key), value: text, block: text.includes('\n') || text.length > 100 });
  }
  return rows;
}

function render(value: unknown, key?: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const items = value.filter(present);
    if (items.every((v) => typeof v !== 'object')) return items.map((v) => inline(v)).join(', ');
    // A list of records: one line each, in the words an admin reads (known shapes first). Own keys
    // only: stored data may name a key "__proto__" or "constructor".
    const line = key !== undefined && Object.hasOwn(LINE, key) ? LINE[key]! : inline;
    return items.map((v) => (isRecord(v) ? line(v) : inline(v))).filter(Boolean).join('\n');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).filter(([, v]) => present(v)).map(([k, v]) => `${labelOf(k, true)}: ${inline(v)}`).join('\n');
  }
  return String(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Records the engine writes often, as one readable line each. */
const LINE: Record<string, (v: unknown) => string> = {
  // Authentication schemes of a 401: "Basic realm="autodiscover.contoso.com"".
  schemes: (v) => {
    const r = asRecord(v);
    const params = Object.entries(asRecord(r.params)).map(([k, p]) => `${k}="${inline(p)}"`).join(' ');
    return [inline(r.scheme ?? r.name), params, r.standard === false ? '(not a standard scheme)' : ''].filter(Boolean).join(' ');
  },
  // A chain as the step saw it: "CN=www.contoso.com, O=lab: valid, 2026-12-03 to 2027-03-04".
  certificates: (v) => {
    const r = asRecord(v);
    const day = (d: unknown) => (typeof d === 'string' ? d.slice(0, 10) : '?');
    return `${inline(r.subject)}: ${[inline(r.state), r.notBefore || r.notAfter ? `${day(r.notBefore)} to ${day(r.notAfter)}` : ''].filter(Boolean).join(', ')}`;
  },
  // TCP attempts: "127.0.0.1:443 open, 3 ms" / "10.0.0.1:443 refused (ECONNREFUSED)".
  attempts: (v) => {
    const r = asRecord(v);
    const where = r.port !== undefined ? `${inline(r.address)}:${inline(r.port)}` : inline(r.address);
    const what = [inline(r.outcome), r.error ? `(${inline(r.error)})` : ''].filter(Boolean).join(' ');
    return `${where} ${what}${typeof r.ms === 'number' ? `, ${r.ms} ms` : ''}`.trim();
  },
};

/** A value on one line: records as "name value" pairs, lists joined, nothing as JSON. */
function inline(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  if (depth > 3) return '…';
  if (Array.isArray(value)) return value.filter(present).map((v) => inline(v, depth + 1)).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value).filter(([, v]) => present(v)).map(([k, v]) => `${labelOf(k, true)} ${inline(v, depth + 1)}`).join(', ');
  }
  return String(value);
}

function present(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** camelCase → "camel case"; short technical keys stay as they are. */
const KNOWN: Record<string, string> = { a: 'A', aaaa: 'AAAA', cname: 'CNAME', ms: 'time (ms)', alpn: 'ALPN', servername: 'SNI name' };

/** A step's own keys may be DNS record types ("a"); a key inside a value is only made readable. */
function labelOf(key: string, nested = false): string {
  return !nested && Object.hasOwn(KNOWN, key) ? KNOWN[key]! : key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
