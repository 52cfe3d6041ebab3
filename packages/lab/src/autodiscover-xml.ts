/**
 * Autodiscover POX bodies as Exchange writes them (namespaces and element order follow the
 * composed samples in shared/reference/samples), plus the one thing the emulated server needs
 * from a request: the <EMailAddress>. The lab carries these templates itself.
 */
import { createHash } from 'node:crypto';
import type { SettingsAnswer } from './scenario.ts';

export const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const OUTLOOK_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Default Message text per ErrorCode (MS-OXDSCLI 2.2.4.1.1.3.2; Exchange's wording where known). */
const ERROR_MESSAGES: Record<number, string> = {
  500: "The email address can't be found.",
  501: 'No configuration options are available for this email address.',
  600: 'Invalid Request',
  601: 'The requested schema version is not supported.',
  602: 'The configuration for this email address contains errors.',
  603: 'Server Error',
};

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * The address a POX request asks about, matched by local element name (any prefix), or undefined
 * when there is none — Exchange answers that with ErrorCode 600.
 */
export function readEmailAddress(body: string): string | undefined {
  const match = /<(?:[\w.-]+:)?EMailAddress(?:\s[^>]*)?>([^<]*)<\/(?:[\w.-]+:)?EMailAddress\s*>/.exec(body);
  const address = match ? unescapeXml(match[1]).trim() : '';
  return address === '' ? undefined : address;
}

/** A stable GUID-shaped string derived from a seed, so defaults never change between runs. */
export function guidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function wrap(responseNs: string, inner: string): string {
  return `${XML_DECLARATION}
<Autodiscover xmlns="${RESPONSE_NS}">
  <Response xmlns="${responseNs}">
${inner}
  </Response>
</Autodiscover>
`;
}

export function redirectAddrXml(to: string): string {
  return wrap(
    OUTLOOK_RESPONSE_NS,
    `    <Account>
      <Action>redirectAddr</Action>
      <RedirectAddr>${escapeXml(to)}</RedirectAddr>
    </Account>`,
  );
}

export function redirectUrlXml(to: string): string {
  return wrap(
    OUTLOOK_RESPONSE_NS,
    `    <Account>
      <Action>redirectUrl</Action>
      <RedirectUrl>${escapeXml(to)}</RedirectUrl>
    </Account>`,
  );
}

export interface ErrorXmlInput {
  code: number;
  message?: string;
  debugData?: string;
  /** Exchange: a hash of the server name. */
  id: string;
  /** Server time of day; default now (UTC), in Exchange's 7-digit fraction format. */
  time?: string;
}

function timeOfDay(date: Date): string {
  const iso = date.toISOString(); // 2025-06-03T10:15:43.123Z
  return `${iso.slice(11, 19)}.${iso.slice(20, 23)}0000`;
}

/** Error body; the error Response sits in the base namespace, as in the samples. */
export function errorXml(input: ErrorXmlInput): string {
  const message = input.message ?? ERROR_MESSAGES[input.code] ?? 'Error';
  const debug = input.debugData ? `<DebugData>${escapeXml(input.debugData)}</DebugData>` : '<DebugData />';
  return wrap(
    RESPONSE_NS,
    `    <Error Time="${escapeXml(input.time ?? timeOfDay(new Date()))}" Id="${escapeXml(input.id)}">
      <ErrorCode>${input.code}</ErrorCode>
      <Message>${escapeXml(message)}</Message>
      ${debug}
    </Error>`,
  );
}

/** Everything a settings body needs, with the defaults filled in. */
interface SettingsFacts {
  displayName: string;
  smtp: string;
  domain: string;
  alias: string;
  server: string;
  mailboxGuid: string;
  deploymentId: string;
  serverVersion: string;
  ewsUrl: string;
  oabUrl: string;
  legacyDN: string;
  serverDN: string;
  mapiHttp: boolean;
  omit: Set<string>;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function settingsFacts(answer: SettingsAnswer, requestedAddress: string, mapiRequested: boolean): SettingsFacts {
  const smtp = answer.smtpAddress ?? requestedAddress;
  const [local = 'user', domain = 'example.com'] = smtp.split('@');
  const exo = answer.profile === 'exo';
  const server = answer.server ?? (exo ? 'outlook.office365.com' : `mail.${domain}`);
  const mailboxGuid = answer.mailboxGuid ?? guidFrom(`mailbox:${smtp.toLowerCase()}`);
  const org = exo ? 'ExchangeLabs' : (answer.organisation ?? capitalise(domain.split('.')[0] ?? 'Contoso'));
  const adminGroup = `/o=${org}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)`;
  const serverId = `${mailboxGuid}@${domain}`;
  return {
    displayName: answer.displayName ?? capitalise(local),
    smtp,
    domain,
    alias: local,
    server,
    mailboxGuid,
    deploymentId: answer.deploymentId ?? guidFrom(`deployment:${exo ? 'exo' : domain}`),
    serverVersion: answer.serverVersion ?? (exo ? '73D49F70' : '73C18E3A'),
    ewsUrl: answer.ewsUrl ?? `https://${server}/EWS/Exchange.asmx`,
    oabUrl: `https://${server}/OAB/${guidFrom(`oab:${domain}`)}/`,
    legacyDN: `${adminGroup}/cn=Recipients/cn=${mailboxGuid.replace(/-/g, '')}-${local}`,
    serverDN: `${adminGroup}/cn=Configuration/cn=Servers/cn=${serverId}`,
    mapiHttp: mapiRequested && answer.mapiHttp !== false && !(answer.omit ?? []).includes('mapiHttp'),
    omit: new Set(answer.omit ?? []),
  };
}

function mapiHttpBlock(f: SettingsFacts): string {
  const id = `${f.mailboxGuid}@${f.domain}`;
  const url = (kind: string) => escapeXml(`https://${f.server}/mapi/${kind}/?MailboxId=${id}`);
  return `
      <Protocol Type="mapiHttp" Version="1">
        <MailStore>
          <InternalUrl>${url('emsmdb')}</InternalUrl>
          <ExternalUrl>${url('emsmdb')}</ExternalUrl>
        </MailStore>
        <AddressBook>
          <InternalUrl>${url('nspi')}</InternalUrl>
          <ExternalUrl>${url('nspi')}</ExternalUrl>
        </AddressBook>
      </Protocol>`;
}

function userBlock(f: SettingsFacts): string {
  return `    <User>
      <DisplayName>${escapeXml(f.displayName)}</DisplayName>
      <LegacyDN>${escapeXml(f.legacyDN)}</LegacyDN>
      <AutoDiscoverSMTPAddress>${escapeXml(f.smtp)}</AutoDiscoverSMTPAddress>
      <DeploymentId>${escapeXml(f.deploymentId)}</DeploymentId>
    </User>`;
}

/** Exchange Online: EXCH (mailbox GUID server) + WEB, mapiHttp first when asked for. */
function exoProtocols(f: SettingsFacts): string {
  const serverId = `${f.mailboxGuid}@${f.domain}`;
  const ews = escapeXml(f.ewsUrl);
  let out = f.mapiHttp ? mapiHttpBlock(f) : '';
  if (!f.omit.has('EXCH')) {
    out += `
      <Protocol>
        <Type>EXCH</Type>
        <Server>${escapeXml(serverId)}</Server>
        <ServerDN>${escapeXml(f.serverDN)}</ServerDN>
        <ServerVersion>${escapeXml(f.serverVersion)}</ServerVersion>
        <MdbDN>${escapeXml(`${f.serverDN}/cn=Microsoft Private MDB`)}</MdbDN>
        <PublicFolderServer>${escapeXml(f.server)}</PublicFolderServer>
        <AuthPackage>Anonymous</AuthPackage>
        <ASUrl>${ews}</ASUrl>
        <EwsUrl>${ews}</EwsUrl>
        <EcpUrl>${escapeXml(`https://${f.server}/owa/`)}</EcpUrl>
        <OOFUrl>${ews}</OOFUrl>
        <OABUrl>${escapeXml(f.oabUrl)}</OABUrl>
        <ServerExclusiveConnect>off</ServerExclusiveConnect>
      </Protocol>`;
  }
  if (!f.omit.has('WEB')) {
    out += `
      <Protocol>
        <Type>WEB</Type>
        <External>
          <OWAUrl AuthenticationMethod="LiveIdFba, OAuth">${escapeXml(`https://${f.server}/owa/`)}</OWAUrl>
          <Protocol>
            <Type>EXPR</Type>
            <ASUrl>${ews}</ASUrl>
          </Protocol>
        </External>
      </Protocol>`;
  }
  return out;
}

/** On-premises Exchange 2016: EXCH (internal) + EXPR (Outlook Anywhere) + WEB. */
function onPremProtocols(f: SettingsFacts): string {
  const serverId = `${f.mailboxGuid}@${f.domain}`;
  const ews = escapeXml(f.ewsUrl);
  const owa = escapeXml(`https://${f.server}/owa/`);
  let out = f.mapiHttp ? mapiHttpBlock(f) : '';
  if (!f.omit.has('EXCH')) {
    out += `
      <Protocol>
        <Type>EXCH</Type>
        <Server>${escapeXml(serverId)}</Server>
        <ServerDN>${escapeXml(f.serverDN)}</ServerDN>
        <ServerVersion>${escapeXml(f.serverVersion)}</ServerVersion>
        <MdbDN>${escapeXml(`${f.serverDN}/cn=Microsoft Private MDB`)}</MdbDN>
        <PublicFolderServer>${escapeXml(f.server)}</PublicFolderServer>
        <AD>${escapeXml(`dc01.corp.${f.domain}`)}</AD>
        <ASUrl>${ews}</ASUrl>
        <EwsUrl>${ews}</EwsUrl>
        <EcpUrl>${owa}</EcpUrl>
        <OOFUrl>${ews}</OOFUrl>
        <OABUrl>${escapeXml(f.oabUrl)}</OABUrl>
        <ServerExclusiveConnect>off</ServerExclusiveConnect>
      </Protocol>`;
  }
  if (!f.omit.has('EXPR')) {
    out += `
      <Protocol>
        <Type>EXPR</Type>
        <Server>${escapeXml(f.server)}</Server>
        <SSL>On</SSL>
        <AuthPackage>Ntlm</AuthPackage>
        <CertPrincipalName>${escapeXml(`msstd:${f.server}`)}</CertPrincipalName>
        <ASUrl>${ews}</ASUrl>
        <EwsUrl>${ews}</EwsUrl>
        <OOFUrl>${ews}</OOFUrl>
        <OABUrl>${escapeXml(f.oabUrl)}</OABUrl>
        <ServerExclusiveConnect>on</ServerExclusiveConnect>
      </Protocol>`;
  }
  if (!f.omit.has('WEB')) {
    out += `
      <Protocol>
        <Type>WEB</Type>
        <Internal>
          <OWAUrl AuthenticationMethod="Basic, Fba">${owa}</OWAUrl>
        </Internal>
        <External>
          <OWAUrl AuthenticationMethod="Fba">${owa}</OWAUrl>
          <Protocol>
            <Type>EXPR</Type>
            <ASUrl>${ews}</ASUrl>
          </Protocol>
        </External>
      </Protocol>`;
  }
  return out;
}

/**
 * Settings body for `requestedAddress`. `mapiRequested` is whether the request carried
 * X-MapiHttpCapability ≥ 1 (the server only adds the mapiHttp block then).
 */
export function settingsXml(answer: SettingsAnswer, requestedAddress: string, mapiRequested: boolean): string {
  const f = settingsFacts(answer, requestedAddress, mapiRequested);
  const exo = answer.profile === 'exo';
  return wrap(
    OUTLOOK_RESPONSE_NS,
    `${userBlock(f)}
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>${exo ? 'True' : 'False'}</MicrosoftOnline>${exo ? exoProtocols(f) : onPremProtocols(f)}
    </Account>`,
  );
}

// ───────────────────────────── ActiveSync (mobilesync, MS-ASCMD Autodiscover) ─────────────────────────────

export const MOBILESYNC_REQUEST_NS = 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006';
export const MOBILESYNC_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006';

/** Which provider a POX request asks for. */
export type RequestedSchema = 'outlook' | 'mobilesync';

/**
 * The provider a request asks for, as Exchange decides it: the <AcceptableResponseSchema> value
 * (matched by local element name, any prefix), else the namespace of the root <Autodiscover>
 * (the mobilesync request namespace), else Outlook.
 */
export function readRequestedSchema(body: string): RequestedSchema {
  const acceptable = /<(?:[\w.-]+:)?AcceptableResponseSchema(?:\s[^>]*)?>([^<]*)<\/(?:[\w.-]+:)?AcceptableResponseSchema\s*>/.exec(body);
  if (acceptable) return unescapeXml(acceptable[1]).trim() === MOBILESYNC_RESPONSE_NS ? 'mobilesync' : 'outlook';
  // Root element: <Autodiscover xmlns="…"> or <p:Autodiscover xmlns:p="…">.
  const root = /<(?:([\w.-]+):)?Autodiscover\b([^>]*)>/.exec(body);
  if (root) {
    const prefix = root[1];
    const attr = prefix ? new RegExp(`xmlns:${prefix.replace(/[.-]/g, '\\$&')}\\s*=\\s*["']([^"']*)["']`) : /xmlns\s*=\s*["']([^"']*)["']/;
    if (attr.exec(root[2])?.[1]?.trim() === MOBILESYNC_REQUEST_NS) return 'mobilesync';
  }
  return 'outlook';
}

function wrapMobileSync(inner: string): string {
  return `${XML_DECLARATION}
<Autodiscover xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="${RESPONSE_NS}">
  <Response xmlns="${MOBILESYNC_RESPONSE_NS}">
    <Culture>en:us</Culture>
${inner}
  </Response>
</Autodiscover>
`;
}

function mobileSyncUser(email: string, displayName?: string): string {
  return `    <User>
${displayName !== undefined ? `      <DisplayName>${escapeXml(displayName)}</DisplayName>\n` : ''}      <EMailAddress>${escapeXml(email)}</EMailAddress>
    </User>`;
}

/** The ActiveSync URL a settings answer hands out: the override, else https://<server>/Microsoft-Server-ActiveSync. */
export function activeSyncUrlOf(answer: SettingsAnswer, requestedAddress: string): string {
  const f = settingsFacts(answer, requestedAddress, false);
  return answer.activeSyncUrl ?? `https://${f.server}/Microsoft-Server-ActiveSync`;
}

/** MS-ASCMD settings: Culture, User{DisplayName,EMailAddress}, Action/Settings/Server{Type MobileSync,Url,Name}. */
export function mobileSyncSettingsXml(answer: SettingsAnswer, requestedAddress: string): string {
  const f = settingsFacts(answer, requestedAddress, false);
  const url = escapeXml(activeSyncUrlOf(answer, requestedAddress));
  return wrapMobileSync(`${mobileSyncUser(f.smtp, f.displayName)}
    <Action>
      <Settings>
        <Server>
          <Type>MobileSync</Type>
          <Url>${url}</Url>
          <Name>${url}</Name>
        </Server>
      </Settings>
    </Action>`);
}

/** MS-ASCMD redirect: Action/Redirect carries the address to ask about next (its domain decides where). */
export function mobileSyncRedirectXml(to: string, requestedAddress: string): string {
  return wrapMobileSync(`${mobileSyncUser(requestedAddress)}
    <Action>
      <Redirect>${escapeXml(to)}</Redirect>
    </Action>`);
}

export interface MobileSyncErrorInput {
  /** MS-ASCMD Status; Exchange's documented error answers carry 1. */
  status: number;
  message: string;
  debugData?: string;
  requestedAddress: string;
}

/** MS-ASCMD provider error: Action/Error/{Status,Message,DebugData}. */
export function mobileSyncErrorXml(input: MobileSyncErrorInput): string {
  return wrapMobileSync(`${mobileSyncUser(input.requestedAddress)}
    <Action>
      <Error>
        <Status>${input.status}</Status>
        <Message>${escapeXml(input.message)}</Message>
        <DebugData>${escapeXml(input.debugData ?? '')}</DebugData>
      </Error>
    </Action>`);
}

/** Default Message of an ActiveSync provider error for an Outlook-style ErrorCode. */
export function mobileSyncErrorMessage(code: number): string {
  return ERROR_MESSAGES[code] ?? 'Error';
}
