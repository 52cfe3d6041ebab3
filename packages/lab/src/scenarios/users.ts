import type { LabUser } from '../scenario.ts';

/** What a probe of a scenario is given: the address and the secrets of its user (lab data, not secrets). */
export interface UserCredentials {
  username?: string;
  password?: string;
  bearerToken?: string;
}

export function userCredentials(u: LabUser): UserCredentials {
  return {
    ...(u.username ? { username: u.username } : {}),
    ...(u.password ? { password: u.password } : {}),
    ...(u.bearerToken ? { bearerToken: u.bearerToken } : {}),
  };
}
