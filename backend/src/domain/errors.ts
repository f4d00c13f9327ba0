/**
 * An expected failure with a stable SCREAMING_SNAKE code. The HTTP layer maps codes to
 * statuses; the CLI prints the message. Details are safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
