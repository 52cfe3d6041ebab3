/**
 * bob@contoso.com's mailbox is still on-premises: the same contoso.com front end answers him
 * with the settings (EXCH + EXPR + WEB) directly, no hand-off to Exchange Online.
 */
import type { Scenario } from '../scenario.ts';
import { contosoWebSite, onPremExchange, onPremPort80Closed } from './contoso.ts';

export const ONPREM_ADDRESS = 'bob@contoso.com';
/** Lab data, not a secret. */
export const ONPREM_PASSWORD = 'Lab-Passw0rd!';

export const onpremOnly: Scenario = {
  name: 'onprem-only',
  description: 'contoso.com with an on-premises mailbox: autodiscover.contoso.com returns the settings for bob.',
  users: [{ address: ONPREM_ADDRESS, username: ONPREM_ADDRESS, password: ONPREM_PASSWORD }],
  dns: {
    'contoso.com': { A: ['127.0.0.10'] },
    'autodiscover.contoso.com': { CNAME: 'mail.contoso.com' },
    'mail.contoso.com': { A: ['127.0.0.20'] },
    '_autodiscover._tcp.contoso.com': { behaviour: 'nxdomain' },
  },
  endpoints: [
    contosoWebSite,
    onPremExchange([{ username: ONPREM_ADDRESS, password: ONPREM_PASSWORD }], {
      [ONPREM_ADDRESS]: { action: 'settings', profile: 'onprem', displayName: 'Bob Example' },
    }),
    onPremPort80Closed,
  ],
};
