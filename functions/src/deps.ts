import type { CredentialVault, ProbeObserver, ProbeOptions, TraceStore } from '@discotrace/core';

/**
 * What a handler needs from its surroundings. Only these edges differ between the deployed Lambda
 * and the local runner: the store, the key material (credentials) and the network policy (options).
 */
export interface HandlerDeps {
  store: TraceStore;
  options: ProbeOptions;
  /** Local runs only: resolves the credentialRef a run carries. Deployed probes have none. */
  credentials?: CredentialVault;
  /** Live progress for the local CLI. */
  observe?: ProbeObserver;
  /** Time kept back before the Lambda deadline to write the partial trace. */
  flushMarginMs?: number;
}
