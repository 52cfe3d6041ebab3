import type { Credentials } from './phase.ts';

const MASK = '********';
// Shorter secrets would blank ordinary words everywhere; their encoded forms are still scrubbed.
const MIN_RAW_LENGTH = 6;

/** Every form in which a secret can come back from a server that echoes requests (WAF pages do). */
export function secretForms(credentials: Credentials | undefined, address: string): string[] {
  if (!credentials) return [];
  const forms = new Set<string>();
  const add = (v: string | undefined) => {
    if (v && v.length >= MIN_RAW_LENGTH) forms.add(v);
  };
  const { password, bearerToken } = credentials;
  if (password) {
    add(password);
    add(encodeURIComponent(password));
    add(Buffer.from(password).toString('base64').replace(/=+$/, ''));
    for (const user of new Set([credentials.username ?? address, address])) {
      forms.add(Buffer.from(`${user}:${password}`).toString('base64').replace(/=+$/, ''));
      add(`${user}:${password}`);
    }
  }
  if (bearerToken) add(bearerToken);
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Removes the run's secrets from every string in a value (a trace, an event). Structure is kept:
 * only string values change, so a short secret cannot corrupt the JSON around it.
 */
export function scrubSecrets<T>(value: T, credentials: Credentials | undefined, address: string): T {
  const forms = secretForms(credentials, address);
  if (forms.length === 0) return structuredClone(value);
  const scrub = (text: string) => forms.reduce((t, f) => (t.includes(f) ? t.split(f).join(MASK) : t), text);
  return JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' ? scrub(v) : v)) as T;
}
