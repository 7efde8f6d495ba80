/**
 * One error type with a code per failure the user can act on. The HTTP status comes from one map,
 * the message is written for the person in front of the screen.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  /** A value the database refused that validation let through: the field is named, never the table. */
  INVALID_VALUE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_STATION: 404,
  CONFLICT: 409,
  /** The gate rule refused a parcel (DOMAIN.md §4, §6): the message says why and what to do. */
  GATE_REFUSED: 409,
  /** The customs state of a list, return or parcel does not allow this action yet. */
  CUSTOMS_STATE: 409,
  /** The parcel already left through the gate: no floor operation touches it any more. */
  PARCEL_SHIPPED: 409,
  INSUFFICIENT_STOCK: 409,
  /** Too many sign-in attempts: the answer says when to try again (and so does Retry-After). */
  TOO_MANY_ATTEMPTS: 429,
  DEPENDENCY_DOWN: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}
