/**
 * POX ErrorCode values (MS-OXDSCLI 2.2.4.1.1.3.2; reference §6.1). 500 is "address not found",
 * not "invalid request" — a common mix-up; 600 is the invalid request.
 */

export interface PoxErrorCodeInfo {
  meaning: string;
  hint: string;
}

export const POX_ERROR_CODES: Readonly<Record<string, PoxErrorCodeInfo>> = {
  '500': {
    meaning: "the e-mail address can't be found",
    hint: 'check the address and its proxyAddresses and try the primary SMTP address; for a migrated hybrid user check the RemoteMailbox and its RemoteRoutingAddress',
  },
  '501': { meaning: 'the address is known but has no configuration for this client', hint: 'check the recipient type: only mailboxes and mail users get settings' },
  '600': {
    meaning: 'invalid request',
    hint: 'expected for a GET or a browser; for a POST, check the request namespace (http://, not https://) and the EMailAddress element',
  },
  '601': { meaning: 'no provider for the requested response schema', hint: 'check AcceptableResponseSchema (Outlook vs mobilesync) and that the provider is enabled on the server' },
  '602': { meaning: 'the address is known but its configuration has errors', hint: 'check the recipient object and its mailbox database' },
  '603': { meaning: 'internal server error', hint: 'look up the Error Id and Time in the server logs; retry later or escalate' },
};

export function describePoxErrorCode(code: string): PoxErrorCodeInfo | undefined {
  return Object.hasOwn(POX_ERROR_CODES, code) ? POX_ERROR_CODES[code] : undefined;
}
