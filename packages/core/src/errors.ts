/**
 * The error family. Every class has a stable `name` (Step Functions Retry/Catch match on it) and
 * `code` (the trace and the site match on it; instanceof does not survive JSON).
 */
export class DiscotraceError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DiscotraceError';
    this.code = code;
  }
}

/** A caller passed something unusable (bad address, bad option). Exit code 2 in the CLI. */
export class InvalidArgumentError extends DiscotraceError {
  constructor(message: string, options?: ErrorOptions) {
    super('DT_INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** A phase input from the state machine that does not match the contract. */
export class InvalidPhaseInputError extends DiscotraceError {
  constructor(message: string, options?: ErrorOptions) {
    super('DT_INVALID_PHASE_INPUT', message, options);
    this.name = 'InvalidPhaseInputError';
  }
}

/** Credentials were referenced but cannot be found (expired handle, wrong runtime). */
export class CredentialsUnavailableError extends DiscotraceError {
  constructor(message: string, options?: ErrorOptions) {
    super('DT_CREDENTIALS_UNAVAILABLE', message, options);
    this.name = 'CredentialsUnavailableError';
  }
}
