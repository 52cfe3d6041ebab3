/**
 * SMTP address handling for the walk: the one check every input goes through (CLI argument, URL
 * parameter, RedirectAddr target), the tenant-routing-domain test, and address comparison.
 *
 * A practical check, not RFC 5321 in full: what Exchange accepts as a primary or proxy address.
 * The domain is lower-cased (it becomes DNS and host names); the local part is kept exactly as
 * given, because it goes back to the server unchanged (DERIVED-01).
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export type AddressResult =
  | {
      ok: true;
      /** local@domain, domain lower-cased and in A-label (punycode) form. */
      address: string;
      local: string;
      /** Lower-case A-label form, ready for DNS. */
      domain: string;
      /** The domain as the user wrote it in Unicode, when it was an IDN. */
      unicodeDomain?: string;
    }
  | { ok: false; reason: string };

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// C0 and C1 controls, DEL, and the invisible formatting characters (bidirectional overrides and
// isolates, zero-width marks): a pasted address with one of them is a typo at best, and at worst
// made to display as another address in a report.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

export function parseAddress(input: string): AddressResult {
  if (typeof input !== 'string') return { ok: false, reason: 'address must be a string' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'address is empty' };
  if (CONTROL.test(trimmed)) return { ok: false, reason: 'address contains a control or invisible formatting character (e.g. a right-to-left override)' };
  if (/[<>]/.test(trimmed)) {
    return { ok: false, reason: 'address contains angle brackets; give the bare address (alice@contoso.com), not "Name <alice@contoso.com>"' };
  }
  if (/\s/.test(trimmed)) return { ok: false, reason: `address contains a space: "${trimmed}"` };
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: `"${trimmed}" has no '@'; expected an e-mail address like alice@contoso.com` };
  const local = trimmed.slice(0, at);
  const rawDomain = trimmed.slice(at + 1);
  if (local === '') return { ok: false, reason: 'the part before the @ is empty' };
  if (local.length > MAX_LOCAL) return { ok: false, reason: `the part before the @ is ${local.length} characters long (at most ${MAX_LOCAL})` };
  const domain = checkDomain(rawDomain);
  if (!domain.ok) return domain;
  const result: AddressResult = { ok: true, address: `${local}@${domain.domain}`, local, domain: domain.domain };
  if (domain.unicode !== undefined) result.unicodeDomain = domain.unicode;
  return result;
}

function checkDomain(raw: string): { ok: true; domain: string; unicode?: string } | { ok: false; reason: string } {
  if (raw === '') return { ok: false, reason: 'the domain after the @ is empty' };
  if (raw.endsWith('.')) return { ok: false, reason: `domain "${raw}" ends with a dot` };
  let domain = raw.toLowerCase();
  let unicode: string | undefined;
  // Non-ASCII: an internationalised domain; DNS and TLS need the A-label (xn--) form.
  if (/[^\x00-\x7f]/.test(raw)) {
    domain = domainToASCII(raw);
    if (domain === '') return { ok: false, reason: `domain "${raw}" is not a valid internationalised domain name` };
    // UTS #46 maps some input away (soft hyphens, full-width letters); show the Unicode form only for a real IDN.
    if (domain.includes('xn--')) unicode = domainToUnicode(domain);
  }
  if (domain.length > MAX_DOMAIN) return { ok: false, reason: `domain is ${domain.length} characters long (at most ${MAX_DOMAIN})` };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, reason: `domain "${raw}" needs at least two labels, like contoso.com` };
  for (const label of labels) {
    if (label === '') return { ok: false, reason: `domain "${raw}" has an empty label (two dots in a row)` };
    if (label.length > MAX_LABEL) return { ok: false, reason: `domain label "${label}" is longer than ${MAX_LABEL} characters` };
    if (!LABEL.test(label)) {
      return { ok: false, reason: `domain label "${label}" may only contain letters, digits and '-', and may not start or end with '-'` };
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) {
    return { ok: false, reason: `domain "${raw}" looks like an IP address; Autodiscover needs a domain name` };
  }
  return unicode === undefined ? { ok: true, domain } : { ok: true, domain, unicode };
}

/**
 * Tenant routing domains (`<tenant>.mail.onmicrosoft.com` and the sovereign-cloud forms): the
 * target a hybrid on-premises RemoteMailbox should redirect to. Data, so a new cloud is one line.
 */
export const TENANT_ROUTING_SUFFIXES: readonly string[] = [
  '.mail.onmicrosoft.com', // worldwide and GCC
  '.mail.onmicrosoft.us', // GCC High / DoD
  '.mail.partner.onmschina.cn', // operated by 21Vianet
];

export function isTenantRoutingDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  // The suffix alone (mail.onmicrosoft.com) is Microsoft's, not a tenant's: require a tenant label.
  return TENANT_ROUTING_SUFFIXES.some((suffix) => d.endsWith(suffix) && d.length > suffix.length && !d.slice(0, -suffix.length).includes('.'));
}

/** Same mailbox address, compared case-insensitively (and IDN-insensitively when both parse). */
export function sameAddress(a: string, b: string): boolean {
  return addressKey(a) === addressKey(b);
}

/** The form addresses are compared and stored in for loop detection: trimmed, lower-case, A-label. */
export function addressKey(address: string): string {
  const parsed = parseAddress(address);
  return (parsed.ok ? parsed.address : String(address).trim()).toLowerCase();
}
