/** Stable codes for everything the lab refuses; callers match on `code`, never on the text. */
export type LabErrorCode =
  | 'LAB_SCENARIO_INVALID'
  | 'LAB_UNKNOWN_SCENARIO'
  | 'LAB_PORT_UNAVAILABLE'
  | 'LAB_START_FAILED'
  /** Real-ports mode outside a network namespace the caller declared (and we could verify). */
  | 'LAB_REAL_PORTS_REFUSED';

export class LabError extends Error {
  readonly code: LabErrorCode;

  constructor(code: LabErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LabError';
    this.code = code;
  }
}
