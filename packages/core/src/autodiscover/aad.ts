/**
 * Microsoft Entra ID (Azure AD) sign-in error codes in response bodies. Exchange Online answers
 * legacy-auth requests it refuses with e.g. HTTP 456 and an AADSTS code in the body (BUG-20); the
 * code is the actionable part.
 */

export interface AadstsCode {
  /** "AADSTS50076" */
  code: string;
  number: number;
  meaning?: string;
}

export const AADSTS_MEANINGS: Readonly<Record<number, string>> = {
  50034: 'the user account does not exist in the directory',
  50053: 'the account is locked or sign-in was blocked (too many attempts or a suspicious address)',
  50057: 'the user account is disabled',
  50076: 'multi-factor authentication is required: legacy authentication cannot satisfy it, use modern authentication (OAuth)',
  50079: 'the user must register for multi-factor authentication',
  50126: 'invalid username or password',
  53003: 'access blocked by a Conditional Access policy',
};

/** Distinct AADSTS codes in a body, in order of first appearance. */
export function extractAadstsCodes(body: string): AadstsCode[] {
  const seen = new Set<number>();
  const codes: AadstsCode[] = [];
  for (const m of String(body).slice(0, 1 << 20).matchAll(/AADSTS(\d{4,7})/g)) {
    const number = Number(m[1]);
    if (seen.has(number)) continue;
    seen.add(number);
    const meaning = AADSTS_MEANINGS[number];
    codes.push(meaning === undefined ? { code: `AADSTS${m[1]}`, number } : { code: `AADSTS${m[1]}`, number, meaning });
  }
  return codes;
}
