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
  'ORG_KEY_REVOKED',
  'ORG_KEY_EXPIRED',
  'ORG_NOT_SERVED',
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
  'BAD_REQUEST_BODY',
  'UNSUPPORTED_ENCODING',
  'UNSUPPORTED_CHARSET',
  'UNSUPPORTED_MEDIA',
  'REQUEST_ABORTED',
  'BAD_CONTENT_LENGTH',
  'INVALID_ENCODING',
  'INVALID_TEXT',
  'MALFORMED_URI',
  'TOO_MANY_FAILED_AUTH',
  'STATE_USED',
  'STATE_NOT_THIS_BROWSER',
  'WORKSPACE_UNKNOWN',
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
  CONSENT_DATES_INCONSISTENT: 400,
  NO_ADVOCATE: 409,
  DATE_IN_FUTURE: 400,
  NOTICE_NOT_FOUND: 404,
  NOT_YOUR_ASK: 403,
  ACTION_NOT_OFFERED: 409,
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
  ORG_KEY_REVOKED: 401,
  ORG_KEY_EXPIRED: 401,
  ORG_NOT_SERVED: 403,
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
  BAD_REQUEST_BODY: 400,
  UNSUPPORTED_ENCODING: 415,
  UNSUPPORTED_CHARSET: 415,
  UNSUPPORTED_MEDIA: 415,
  REQUEST_ABORTED: 400,
  BAD_CONTENT_LENGTH: 400,
  INVALID_ENCODING: 400,
  INVALID_TEXT: 400,
  MALFORMED_URI: 400,
  TOO_MANY_FAILED_AUTH: 429,
  STATE_USED: 400,
  STATE_NOT_THIS_BROWSER: 400,
  WORKSPACE_UNKNOWN: 403,
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

// body-parser and the router fail with http-errors (status, type, expose): a client's mistake
// keeps its 4xx class and gets a stable code (and the table's status) instead of becoming a 500.
const BODY_ERRORS: Record<string, { code: HttpErrorCode; message: string }> = {
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' },
  'entity.too.large': { code: 'BODY_TOO_LARGE', message: 'the request body is larger than 1 MB' },
  'encoding.unsupported': { code: 'UNSUPPORTED_ENCODING', message: 'the Content-Encoding is not supported (identity, gzip, deflate or br)' },
  'charset.unsupported': { code: 'UNSUPPORTED_CHARSET', message: 'the body must be UTF-8' },
  'request.aborted': { code: 'REQUEST_ABORTED', message: 'the request body ended early' },
  'request.size.invalid': { code: 'BAD_CONTENT_LENGTH', message: 'the body does not match its Content-Length' },
};

function clientErrorOf(error: unknown): { code: HttpErrorCode; message: string } | null {
  const e = error as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown } | null;
  const known = typeof e?.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) return known;
  const status = Number(e?.status ?? e?.statusCode);
  if (!e || !Number.isInteger(status) || status < 400 || status > 499) return null;
  if (error instanceof URIError) return { code: 'MALFORMED_URI', message: 'the URL holds a malformed %-escape' };
  // A zlib failure (a body sent as gzip that is not gzip) and the like: the client's bytes.
  if (e.expose === true) return status === 415 ? { code: 'UNSUPPORTED_MEDIA', message: String((error as Error).message) } : { code: 'BAD_REQUEST_BODY', message: 'the request body could not be read as sent (check Content-Encoding)' };
  return null;
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
  } else {
    const client = clientErrorOf(error);
    if (client) body = client;
  }
  const status = statusOf(body.code);
  const log = res.locals.log ?? req.app.locals.logger;
  if (status >= 500) log?.error({ err: error, requestId }, 'request failed');
  else log?.info({ requestId, code: body.code, status }, 'request refused');
  res.status(status).json({ error: { ...body, requestId } });
};
