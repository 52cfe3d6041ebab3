/** Microsoft 365's own DNS domains (Exchange Online's hosts and tenant names). */
export const MICROSOFT_365_DOMAINS = ['outlook.com', 'office365.com', 'office365.us', 'outlook.cn', 'onmicrosoft.com'];

/**
 * A Microsoft 365 service host (outlook.office365.com, autodiscover-s.outlook.com …): Microsoft
 * publishes it, so no customer can create or fix its record. Tenant names (*.onmicrosoft.com) are
 * not: a missing one may be a mistyped tenant.
 */
export function isMicrosoftServiceHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return SERVICE_DOMAINS.some((d) => name === d || name.endsWith(`.${d}`));
}

const SERVICE_DOMAINS = MICROSOFT_365_DOMAINS.filter((d) => d !== 'onmicrosoft.com');
