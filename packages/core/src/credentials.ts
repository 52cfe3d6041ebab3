import { randomBytes } from 'node:crypto';
import type { Credentials } from './walk/phase.ts';

/**
 * Credentials never travel in a state payload: the caller deposits them here and the payload carries
 * an opaque reference that only this process can resolve. The local runner shares one vault with
 * the handlers it invokes; a deployed probe has no vault and runs without credentials.
 */
export interface CredentialVault {
  put(credentials: Credentials): string;
  get(ref: string): Credentials | undefined;
  drop(ref: string): void;
}

export function createCredentialVault(): CredentialVault {
  const entries = new Map<string, Credentials>();
  return {
    put(credentials) {
      const ref = `cred-${randomBytes(12).toString('hex')}`;
      entries.set(ref, { ...credentials });
      return ref;
    },
    get(ref) {
      return entries.get(ref);
    },
    drop(ref) {
      entries.delete(ref);
    },
  };
}
