/** Every code a domain rule or use case may refuse with (the HTTP layer gives each a status). */
export const DOMAIN_ERROR_CODES = [
  'ACCOUNT_NOT_FOUND',
  'CONTACT_NOT_FOUND',
  'ASK_NOT_FOUND',
  'CONSENT_NOT_FOUND',
  'DEAL_NOT_FOUND',
  'INVALID_TRANSITION',
  'CONSENT_REQUIRED',
  'NOTHING_TO_PROPOSE',
  'CONSENT_IN_FUTURE',
  'CONSENT_DATES_INCONSISTENT',
  'NO_ADVOCATE',
  'DATE_IN_FUTURE',
  'NOTICE_NOT_FOUND',
  'NOT_YOUR_ASK',
  'ACTION_NOT_OFFERED',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * An expected failure with a stable SCREAMING_SNAKE code. The HTTP layer maps codes to
 * statuses; the CLI prints the message. Details are safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
