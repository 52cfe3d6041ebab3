/**
 * fabrikam.com runs Exchange on-premises with Windows authentication only: the Autodiscover
 * virtual directory offers Negotiate and NTLM, Basic is disabled (a common hardening). carol's
 * settings come back only after an NTLM handshake on one connection; a password alone with Basic
 * gets nowhere.
 */
import type { BasicCredential, CertificateSpec, EndpointSpec, ExchangeBehaviour, Scenario } from '../scenario.ts';
import { NGINX_404, ON_PREM_HEADERS } from './contoso.ts';

export const NTLM_ADDRESS = 'carol@fabrikam.com';
/** The account in down-level form; the address (UPN) and the bare name work too. */
export const NTLM_USERNAME = 'FABRIKAM\\carol';
/** Lab data, not a secret. */
export const NTLM_PASSWORD = 'Lab-Ntlm-Passw0rd!';

/** Windows authentication only: no Basic. */
export const NTLM_ONLY_CHALLENGES = ['Negotiate', 'NTLM'];

export const NTLM_ANSWERS: ExchangeBehaviour['answers'] = {
  [NTLM_ADDRESS]: { action: 'settings', profile: 'onprem', displayName: 'Carol Example' },
};

/** Variations of the front end, for tests (the registered scenario uses none). */
export interface FabrikamOptions {
  /** WWW-Authenticate values of the 401s; default Negotiate, NTLM. */
  challenges?: string[];
  /** Also accept Basic for these accounts (offer it in `challenges` too). */
  basic?: BasicCredential[];
  /** Close the connection after the NTLM challenge (a load balancer without persistence). */
  closeAfterChallenge?: boolean;
  tls?: CertificateSpec;
}

/**
 * autodiscover.fabrikam.com (and mail.fabrikam.com) on 443: Autodiscover on its path; the other
 * virtual directories the settings name (EWS, OAB, MAPI) answer 401 with the same Windows
 * authentication, as IIS does for an anonymous request.
 */
export function fabrikamExchange(options: FabrikamOptions = {}): EndpointSpec {
  const challenges = options.challenges ?? NTLM_ONLY_CHALLENGES;
  return {
    host: 'autodiscover.fabrikam.com',
    aliases: ['mail.fabrikam.com'],
    port: 443,
    tls: options.tls ?? { dnsNames: ['autodiscover.fabrikam.com', 'mail.fabrikam.com'] },
    behaviour: {
      kind: 'routes',
      routes: [{
        path: '/autodiscover/autodiscover.xml',
        behaviour: {
          kind: 'exchange',
          headers: ON_PREM_HEADERS,
          challenges,
          ...(options.basic ? { basic: options.basic } : {}),
          ntlm: {
            users: [{ domain: 'FABRIKAM', username: 'carol', password: NTLM_PASSWORD }],
            netbiosDomain: 'FABRIKAM',
            dnsDomain: 'fabrikam.com',
            computer: 'EX01',
            ...(options.closeAfterChallenge ? { closeAfterChallenge: true } : {}),
          },
          answers: NTLM_ANSWERS,
        },
      }],
      fallback: { kind: 'static', status: 401, headers: { ...ON_PREM_HEADERS, 'WWW-Authenticate': challenges } },
    },
  };
}

export const ntlmOnly: Scenario = {
  name: 'ntlm-only',
  description: 'fabrikam.com on-premises with Windows authentication only (Negotiate, NTLM; no Basic): autodiscover.fabrikam.com returns the settings for carol after an NTLM handshake.',
  users: [{ address: NTLM_ADDRESS, username: NTLM_USERNAME, password: NTLM_PASSWORD }],
  dns: {
    'fabrikam.com': { A: ['127.0.0.70'] },
    'autodiscover.fabrikam.com': { CNAME: 'mail.fabrikam.com' },
    'mail.fabrikam.com': { A: ['127.0.0.75'] },
    '_autodiscover._tcp.fabrikam.com': { behaviour: 'nxdomain' },
  },
  endpoints: [
    // The company web site on the bare domain (nginx), with a certificate that covers it.
    { host: 'fabrikam.com', aliases: ['www.fabrikam.com'], port: 443, tls: { dnsNames: ['fabrikam.com', 'www.fabrikam.com'] }, behaviour: NGINX_404 },
    fabrikamExchange(),
    { host: 'autodiscover.fabrikam.com', aliases: ['mail.fabrikam.com'], port: 80, behaviour: { kind: 'closed' } },
  ],
};
