/**
 * ActiveSync (mobilesync) Autodiscover scenarios (issue 3 item 5; MS-ASCMD Autodiscover, reference
 * §3.4 and §6.1). The emulated Exchange answers a mobilesync request from the same answer table in
 * MS-ASCMD shape (see exchange.ts), so onprem-only (settings) and seed (Action/Redirect, then
 * Exchange Online's settings with https://outlook.office365.com/Microsoft-Server-ActiveSync) need
 * no data of their own; these cover what only ActiveSync has.
 */
import type { Scenario } from '../scenario.ts';
import { contosoWebSite, onPremPort80Closed } from './contoso.ts';
import { CONTOSO_PASSWORD, contosoDns, onPremFrontEnd } from './contoso-services.ts';

export const ACTIVESYNC_ADDRESS = 'bob@contoso.com';
export const ACTIVESYNC_PASSWORD = CONTOSO_PASSWORD;
/** The provider error an ActiveSync request for carol gets (MS-ASCMD's example wording). */
export const ACTIVESYNC_ERROR_ADDRESS = 'carol@contoso.com';
export const ACTIVESYNC_ERROR_MESSAGE = 'The directory service could not be reached';

/**
 * The MobileSync provider is disabled on the on-premises front end: a mobilesync request gets
 * ErrorCode 601 in the base namespace; Outlook requests still get bob's settings.
 */
export const activesyncDisabled: Scenario = {
  name: 'activesync-disabled',
  description: 'contoso.com on-premises with the MobileSync Autodiscover provider off: ActiveSync requests get ErrorCode 601.',
  users: [{ address: ACTIVESYNC_ADDRESS, username: ACTIVESYNC_ADDRESS, password: ACTIVESYNC_PASSWORD }],
  dns: contosoDns(),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([ACTIVESYNC_ADDRESS], { [ACTIVESYNC_ADDRESS]: { action: 'settings', profile: 'onprem', displayName: 'Bob Example' } }, { exchange: { mobileSync: false } }),
    onPremPort80Closed,
  ],
};

/** The provider answers carol with Action/Error (Status 1); Outlook requests get ErrorCode 602. */
export const activesyncProviderError: Scenario = {
  name: 'activesync-provider-error',
  description: 'contoso.com on-premises: the MobileSync provider answers carol with Action/Error (directory unreachable).',
  users: [{ address: ACTIVESYNC_ERROR_ADDRESS, username: ACTIVESYNC_ERROR_ADDRESS, password: ACTIVESYNC_PASSWORD }],
  dns: contosoDns(),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([ACTIVESYNC_ERROR_ADDRESS], {
      [ACTIVESYNC_ERROR_ADDRESS]: { action: 'error', code: 602, message: ACTIVESYNC_ERROR_MESSAGE, debugData: 'MailUser', mobileSyncStatus: 1 },
    }),
    onPremPort80Closed,
  ],
};

export const activesyncScenarios: readonly Scenario[] = [activesyncDisabled, activesyncProviderError];
