import type { ErrorRequestHandler, Request } from 'express';
import { ZodError } from 'zod';
import { CrmError, type CrmErrorCode } from '../crm/errors';
import { DomainError, type DomainErrorCode } from '../domain/errors';
import { ImportError } from '../import/read-import-file';

// One table maps every code a route can answer with to its HTTP status; a code missing from
// it, or a typo in one, fails to compile. A 500 never leaks internals: the message is generic
// and the details stay in the log under the request id.

/** Codes the HTTP layer itself raises (authentication, signatures, parsing, routing). */
export const HTTP_ERROR_CODES = [
  'UNAUTHORIZED',
  'MISSING_SIGNATURE',
  'STALE_SIGNATURE',
  'INVALID_SIGNATURE',
  'REPLAYED_SIGNATURE',
  'UNSIGNED_PORTAL',
  'PORTAL_MISMATCH',
  'ORG_MISMATCH',
  'NOT_LOCAL',
  'UNSUPPORTED_OBJECT',
  'INSTALL_DENIED',
  'BAD_STATE',
  'INSTALL_FAILED',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'IMPORT_REJECTED',
  'MALFORMED_JSON',
  'BODY_TOO_LARGE',
  'INTERNAL',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export type ErrorCode = DomainErrorCode | CrmErrorCode | HttpErrorCode;

export const ERROR_STATUS = {
  // domain refusals
  ACCOUNT_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  ASK_NOT_FOUND: 404,
  CONSENT_NOT_FOUND: 404,
  DEAL_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  CONSENT_REQUIRED: 409,
  NOTHING_TO_PROPOSE: 409,
  CONSENT_IN_FUTURE: 400,
  NO_ADVOCATE: 409,
  DATE_IN_FUTURE: 400,
  // the CRM behind the request
  CRM_AUTH: 502,
  CRM_NOT_FOUND: 404,
  CRM_RATE_LIMITED: 503,
  CRM_DAILY_LIMIT: 503,
  CRM_UNAVAILABLE: 502,
  CRM_TIMEOUT: 504,
  CRM_REJECTED: 502,
  CRM_INVALID_ID: 400,
  // the HTTP layer
  UNAUTHORIZED: 401,
  MISSING_SIGNATURE: 401,
  STALE_SIGNATURE: 401,
  INVALID_SIGNATURE: 401,
  REPLAYED_SIGNATURE: 401,
  UNSIGNED_PORTAL: 401,
  PORTAL_MISMATCH: 403,
  ORG_MISMATCH: 403,
  NOT_LOCAL: 403,
  UNSUPPORTED_OBJECT: 400,
  INSTALL_DENIED: 400,
  BAD_STATE: 400,
  INSTALL_FAILED: 502,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  IMPORT_REJECTED: 400,
  MALFORMED_JSON: 400,
  BODY_TOO_LARGE: 413,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

export const statusOf = (code: ErrorCode): number => ERROR_STATUS[code];

/** A refusal of the HTTP layer; its status comes from the table. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = statusOf(code);
  }
}

export const requestIdOf = (req: Request) => (req as Request & { id?: string }).id ?? 'unknown';

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const requestId = requestIdOf(req);
  let body: { code: ErrorCode; message: string; details?: unknown } = { code: 'INTERNAL', message: 'something went wrong on our side; quote the request id when reporting it' };
  if (error instanceof HttpError || error instanceof DomainError) {
    body = { code: error.code, message: error.message, details: error.details };
  } else if (error instanceof ZodError) {
    body = {
      code: 'VALIDATION_FAILED',
      message: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  } else if (error instanceof CrmError) {
    // A bad id is the caller's own input, safe to name; other CRM messages may carry vendor detail.
    const message = error.code === 'CRM_INVALID_ID' ? error.message : `the CRM could not complete the request (${error.code})`;
    body = { code: error.code, message, details: { retryAfterMs: error.details.retryAfterMs } };
    if (error.details.retryAfterMs) res.setHeader('Retry-After', String(Math.ceil(error.details.retryAfterMs / 1000)));
  } else if (error instanceof ImportError) {
    body = { code: 'IMPORT_REJECTED', message: error.message, details: error.problems };
  } else if ((error as { type?: string }).type === 'entity.parse.failed') {
    body = { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' };
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    body = { code: 'BODY_TOO_LARGE', message: 'the request body is too large' };
  }
  const status = statusOf(body.code);
  const log = res.locals.log ?? req.app.locals.logger;
  if (status >= 500) log?.error({ err: error, requestId }, 'request failed');
  else log?.info({ requestId, code: body.code, status }, 'request refused');
  res.status(status).json({ error: { ...body, requestId } });
};
