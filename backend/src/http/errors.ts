import type { ErrorRequestHandler, Request } from 'express';
import { ZodError } from 'zod';
import { CrmError } from '../crm/errors';
import { DomainError } from '../domain/errors';
import { ImportError } from '../import/read-import-file';

// One place maps error codes to HTTP statuses. A 500 never leaks internals: the message is
// generic and the details stay in the log under the request id.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const DOMAIN_STATUS: Record<string, number> = {
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
};

const CRM_STATUS: Record<string, number> = {
  CRM_AUTH: 502,
  CRM_NOT_FOUND: 404,
  CRM_RATE_LIMITED: 503,
  CRM_DAILY_LIMIT: 503,
  CRM_UNAVAILABLE: 502,
  CRM_TIMEOUT: 504,
  CRM_REJECTED: 502,
};

export const requestIdOf = (req: Request) => (req as Request & { id?: string }).id ?? 'unknown';

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const requestId = requestIdOf(req);
  let status = 500;
  let body: { code: string; message: string; details?: unknown } = { code: 'INTERNAL', message: 'something went wrong on our side; quote the request id when reporting it' };
  if (error instanceof HttpError) {
    status = error.status;
    body = { code: error.code, message: error.message, details: error.details };
  } else if (error instanceof ZodError) {
    status = 400;
    body = {
      code: 'VALIDATION_FAILED',
      message: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  } else if (error instanceof DomainError) {
    status = DOMAIN_STATUS[error.code] ?? 422;
    body = { code: error.code, message: error.message, details: error.details };
  } else if (error instanceof CrmError) {
    status = CRM_STATUS[error.code] ?? 502;
    body = { code: error.code, message: `the CRM could not complete the request (${error.code})`, details: { retryAfterMs: error.details.retryAfterMs } };
    if (error.details.retryAfterMs) res.setHeader('Retry-After', String(Math.ceil(error.details.retryAfterMs / 1000)));
  } else if (error instanceof ImportError) {
    status = 400;
    body = { code: 'IMPORT_REJECTED', message: error.message, details: error.problems };
  } else if ((error as { type?: string }).type === 'entity.parse.failed') {
    status = 400;
    body = { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' };
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    status = 413;
    body = { code: 'BODY_TOO_LARGE', message: 'the request body is too large' };
  }
  const log = res.locals.log ?? req.app.locals.logger;
  if (status >= 500) log?.error({ err: error, requestId }, 'request failed');
  else log?.info({ requestId, code: body.code, status }, 'request refused');
  res.status(status).json({ error: { ...body, requestId } });
};
