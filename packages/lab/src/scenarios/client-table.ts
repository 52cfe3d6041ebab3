/**
 * Scenarios for the per-client table (issue 3 item 7) beyond the cases: answers that one client
 * family cannot use while Autodiscover itself "works".
 */
import type { Scenario } from '../scenario.ts';
import { contosoWebSite, ON_PREM_HEADERS, onPremPort80Closed } from './contoso.ts';
import { CONTOSO_PASSWORD, contosoDns, onPremFrontEnd } from './contoso-services.ts';

export const CLIENTS_ADDRESS = 'bob@contoso.com';
export const CLIENTS_PASSWORD = CONTOSO_PASSWORD;
export const CLIENTS_POD_URL = 'https://pod01.contoso.com/autodiscover/autodiscover.xml';

const bob = { address: CLIENTS_ADDRESS, username: CLIENTS_ADDRESS, password: CLIENTS_PASSWORD };

/** autodiscover.contoso.com answers redirectUrl to pod01.contoso.com, which has bob's settings. */
export const clientsRedirectUrl: Scenario = {
  name: 'clients-redirect-url',
  description: 'contoso.com answers bob with redirectUrl to pod01.contoso.com, which returns the settings (Thunderbird does not follow redirectUrl).',
  users: [bob],
  dns: contosoDns({ 'pod01.contoso.com': { A: ['127.0.0.22'] } }),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([CLIENTS_ADDRESS], { [CLIENTS_ADDRESS]: { action: 'redirectUrl', to: CLIENTS_POD_URL } }),
    onPremPort80Closed,
    {
      host: 'pod01.contoso.com',
      port: 443,
      tls: { dnsNames: ['pod01.contoso.com'] },
      behaviour: {
        kind: 'exchange',
        headers: ON_PREM_HEADERS,
        challenges: ['Negotiate', 'NTLM', 'Basic realm="pod01.contoso.com"'],
        basic: [{ username: CLIENTS_ADDRESS, password: CLIENTS_PASSWORD }],
        answers: { [CLIENTS_ADDRESS]: { action: 'settings', profile: 'onprem', displayName: 'Bob Example', server: 'mail.contoso.com' } },
      },
    },
  ],
};

/** Settings with one EXCH block (internal names) and no EwsUrl or ASUrl anywhere: nothing for EWS clients. */
export const CLIENTS_EXCH_ONLY_XML = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>Bob Example</DisplayName>
      <LegacyDN>/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bob</LegacyDN>
      <AutoDiscoverSMTPAddress>bob@contoso.com</AutoDiscoverSMTPAddress>
      <DeploymentId>22222222-3333-4444-5555-666666666666</DeploymentId>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>False</MicrosoftOnline>
      <Protocol>
        <Type>EXCH</Type>
        <Server>ex01.corp.contoso.local</Server>
        <ServerDN>/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX01</ServerDN>
        <ServerVersion>73C18E3A</ServerVersion>
        <AuthPackage>Kerb</AuthPackage>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
`;

/** autodiscover.contoso.com returns CLIENTS_EXCH_ONLY_XML to bob. */
export const clientsExchOnlyNoEws: Scenario = {
  name: 'clients-exch-only-no-ews',
  description: 'contoso.com answers bob with an EXCH block only (internal server name) and no EwsUrl or ASUrl.',
  users: [bob],
  dns: contosoDns(),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([CLIENTS_ADDRESS], {
      [CLIENTS_ADDRESS]: { action: 'raw', status: 200, headers: { ...ON_PREM_HEADERS, 'Content-Type': 'text/xml; charset=utf-8' }, body: CLIENTS_EXCH_ONLY_XML },
    }),
    onPremPort80Closed,
  ],
};

export const clientTableScenarios: readonly Scenario[] = [clientsRedirectUrl, clientsExchOnlyNoEws];
