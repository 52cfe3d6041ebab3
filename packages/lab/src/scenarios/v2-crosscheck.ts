/**
 * Autodiscover v2 cross-check scenarios (issue 3 item 4; reference §3.6): Exchange Online's
 * anonymous autodiscover.json answer compared with the classic walk. Each disagreement is a
 * hybrid misconfiguration an admin can act on; an unreachable v2 host is only advisory.
 */
import type { EndpointSpec, Scenario } from '../scenario.ts';
import { contosoWebSite, onPremPort80Closed } from './contoso.ts';
import { CONTOSO_PASSWORD, contosoDns, exoOutlook, onPremFrontEnd, V2_IN_EXO, v2ToOnPrem } from './contoso-services.ts';
import { seed, SEED_ADDRESS } from './seed.ts';

export const V2_ADDRESS = 'alice@contoso.com';
export const V2_PASSWORD = CONTOSO_PASSWORD;

const alice = { address: V2_ADDRESS, username: V2_ADDRESS, password: V2_PASSWORD };
const EXO_V2_DNS = { 'outlook.office365.com': { A: ['127.0.0.50'] } };

/** on-premises unreachable: nothing listens on autodiscover.contoso.com:443 (nor on 80). */
const onPremClosed: EndpointSpec = { host: 'autodiscover.contoso.com', aliases: ['mail.contoso.com'], port: 443, behaviour: { kind: 'closed' } };

/**
 * The move is incomplete: alice's mailbox lives in Exchange Online (v2 answers 200), but
 * on-premises still holds a mailbox object for her and answers with its own settings
 * (MicrosoftOnline False) instead of redirectAddr.
 */
export const v2MoveIncomplete: Scenario = {
  name: 'v2-move-incomplete',
  description: 'Hybrid contoso.com: Exchange Online\'s v2 says alice is hosted there, but on-premises still answers her with on-premises settings.',
  users: [alice],
  dns: contosoDns(EXO_V2_DNS),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([V2_ADDRESS], { [V2_ADDRESS]: { action: 'settings', profile: 'onprem', displayName: 'Alice Example' } }),
    onPremPort80Closed,
    exoOutlook(V2_IN_EXO),
  ],
};

/**
 * The seed's hybrid journey (redirectAddr → Exchange Online settings), but Exchange Online's v2
 * answers 302 to the on-premises v2 endpoint: it does not consider alice's mailbox its own.
 */
export const v2PointsOnPrem: Scenario = {
  ...seed,
  name: 'v2-points-onprem',
  description: 'The seed\'s hybrid journey ends in Exchange Online, but Exchange Online\'s v2 sends alice on-premises (302).',
  endpoints: seed.endpoints.map((e) => (e.host === 'outlook.office365.com' && e.port === 443 ? exoOutlook(v2ToOnPrem(SEED_ADDRESS)) : e)),
};

/** The classic walk fails (on-premises unreachable) while Exchange Online's v2 knows alice. */
export const v2ClassicFails: Scenario = {
  name: 'v2-classic-fails',
  description: 'contoso.com\'s on-premises Autodiscover is unreachable; Exchange Online\'s v2 answers that alice is hosted there.',
  users: [alice],
  dns: contosoDns(EXO_V2_DNS),
  endpoints: [contosoWebSite, onPremClosed, onPremPort80Closed, exoOutlook(V2_IN_EXO)],
};

/** The classic walk fails and the v2 host refuses too: the verdict must name the on-premises failure. */
export const v2HostUnreachable: Scenario = {
  name: 'v2-host-unreachable',
  description: 'contoso.com\'s on-premises Autodiscover is unreachable, and so is outlook.office365.com (connection refused).',
  users: [alice],
  dns: contosoDns(EXO_V2_DNS),
  endpoints: [contosoWebSite, onPremClosed, onPremPort80Closed, { host: 'outlook.office365.com', port: 443, behaviour: { kind: 'closed' } }],
};

export const v2Scenarios: readonly Scenario[] = [v2MoveIncomplete, v2PointsOnPrem, v2ClassicFails, v2HostUnreachable];
