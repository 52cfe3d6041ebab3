/**
 * The seed scenario: the hybrid journey of reference/autodiscover-protocol.md §1.1–1.2.
 * alice@contoso.com's mailbox moved to Exchange Online. On-prem Exchange answers her with
 * redirectAddr → alice@contoso.mail.onmicrosoft.com; that name's Autodiscover host only works
 * through the port-80 HTTP redirect to autodiscover-s.outlook.com, where OAuth (not Basic) gets
 * the settings. The demo and the main end-to-end test run this.
 */
import type { Scenario } from '../scenario.ts';
import {
  contosoWebSite,
  EXO_BASIC_BLOCKED,
  EXO_CERTIFICATE,
  EXO_CHALLENGES,
  EXO_HEADERS,
  exoFrontDoor,
  onPremExchange,
  onPremPort80Closed,
  TENANT_ROUTING_DOMAIN,
} from './contoso.ts';

export const SEED_ADDRESS = 'alice@contoso.com';
export const SEED_ROUTING_ADDRESS = `alice@${TENANT_ROUTING_DOMAIN}`;
/** Lab data, not a secret: the on-prem Basic password. */
export const SEED_PASSWORD = 'Lab-Passw0rd!';
/** Lab data, not a secret: the access token Exchange Online accepts for alice. */
export const SEED_BEARER_TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6ImxhYiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsInVwbiI6ImFsaWNlQGNvbnRvc28uY29tIn0.q7Zk1c9mX2vTn4RwLb8sYp0eJd3HfA6uGi5oKx';

const aliceInExo = { action: 'settings', profile: 'exo', displayName: 'Alice Example', smtpAddress: SEED_ADDRESS } as const;

export const seed: Scenario = {
  name: 'seed',
  description:
    'Hybrid contoso.com: on-prem Exchange redirects alice to the tenant routing address; the tenant name ' +
    'answers only on port 80 with a 302 to autodiscover-s.outlook.com, which wants OAuth and returns the settings.',
  users: [{ address: SEED_ADDRESS, username: SEED_ADDRESS, password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN }],
  dns: {
    'contoso.com': { A: ['127.0.0.10'] },
    'autodiscover.contoso.com': { CNAME: 'mail.contoso.com' },
    'mail.contoso.com': { A: ['127.0.0.20'] },
    '_autodiscover._tcp.contoso.com': { behaviour: 'nxdomain' },
    // The tenant routing name itself does not resolve here.
    [TENANT_ROUTING_DOMAIN]: { behaviour: 'nxdomain' },
    [`autodiscover.${TENANT_ROUTING_DOMAIN}`]: { CNAME: 'autodiscover.outlook.com' },
    'autodiscover.outlook.com': { A: ['127.0.0.30'] },
    [`_autodiscover._tcp.${TENANT_ROUTING_DOMAIN}`]: { behaviour: 'nxdomain' },
    'autodiscover-s.outlook.com': { A: ['127.0.0.40'] },
    'outlook.office365.com': { A: ['127.0.0.50'] },
  },
  certificates: { exo: EXO_CERTIFICATE },
  endpoints: [
    contosoWebSite,
    onPremExchange([{ username: SEED_ADDRESS, password: SEED_PASSWORD }], {
      [SEED_ADDRESS]: { action: 'redirectAddr', to: SEED_ROUTING_ADDRESS },
    }),
    onPremPort80Closed,
    // Microsoft keeps no certificate for every tenant name: HTTPS is refused by design; the
    // HTTP-redirect method answers (samples/http-redirect-method-302.http).
    ...exoFrontDoor(`autodiscover.${TENANT_ROUTING_DOMAIN}`),
    {
      host: 'autodiscover-s.outlook.com',
      port: 443,
      tls: 'exo',
      behaviour: {
        kind: 'exchange',
        headers: EXO_HEADERS,
        challenges: EXO_CHALLENGES,
        challengeHeaders: { 'X-BackEndHttpStatus': '401' },
        basicBlocked: EXO_BASIC_BLOCKED,
        bearerTokens: [SEED_BEARER_TOKEN],
        answers: { [SEED_ROUTING_ADDRESS]: aliceInExo, [SEED_ADDRESS]: aliceInExo },
      },
    },
    {
      // Where the returned URLs point; enough for a later "is EWS reachable" check.
      host: 'outlook.office365.com',
      port: 443,
      tls: 'exo',
      behaviour: {
        kind: 'routes',
        routes: [
          {
            path: '/EWS/Exchange.asmx',
            behaviour: {
              kind: 'static',
              status: 401,
              headers: { ...EXO_HEADERS, 'WWW-Authenticate': EXO_CHALLENGES },
            },
          },
          // The returned OAB and MAPI URLs want OAuth too: 401 is their healthy anonymous answer.
          { path: '/OAB/', prefix: true, behaviour: { kind: 'static', status: 401, headers: { ...EXO_HEADERS, 'WWW-Authenticate': EXO_CHALLENGES } } },
          { path: '/mapi/', prefix: true, behaviour: { kind: 'static', status: 401, headers: { ...EXO_HEADERS, 'WWW-Authenticate': EXO_CHALLENGES } } },
          {
            // Autodiscover v2: anonymous, and alice's mailbox lives in Exchange Online.
            path: '/autodiscover/autodiscover.json',
            prefix: true,
            methods: ['GET'],
            behaviour: {
              kind: 'static',
              status: 200,
              headers: { ...EXO_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
              body: '{"Protocol":"AutodiscoverV1","Url":"https://outlook.office365.com/autodiscover/autodiscover.xml"}',
            },
          },
        ],
      },
    },
  ],
};
