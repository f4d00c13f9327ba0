import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from './errors';

// Authentication of the local API and the limit on failed attempts. The limiter counts every
// request of a client address while it runs and takes it back when it was not refused with
// 401, so only failures add up; past the limit the address gets 429 until the window ends,
// valid credentials or not (otherwise a locked-out guesser would still learn a right guess).
// Counts live in this process (express-rate-limit's memory store): with several processes,
// each keeps its own.

export interface AuthFailureLimit {
  /** Failed attempts per address per window. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { limit: 20, windowMs: 15 * 60_000 };

export function authFailureLimiter({ limit, windowMs }: AuthFailureLimit = DEFAULT_AUTH_FAILURE_LIMIT): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(new HttpError('TOO_MANY_FAILED_AUTH', `too many failed authentication attempts from this address; try again in ${Math.ceil(options.windowMs / 60_000)} minutes`));
    },
  });
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function hasBearer(req: Request, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const got = Buffer.from(req.get('authorization') ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function requireBearer(token: string, message = 'a valid bearer token is required'): RequestHandler {
  return (req, _res, next) => (hasBearer(req, token) ? next() : next(new HttpError('UNAUTHORIZED', message)));
}
