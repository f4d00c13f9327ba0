import express, { type Request, type RequestHandler } from 'express';
import { HttpError } from './errors';

// Bodies are read as bytes first (the 1 MB limit applies here) and parsed only after the
// request is authenticated: a signed route checks the signature over these exact bytes before
// any JSON parser sees them, and an unauthenticated caller never gets us to parse 1 MB.

export const BODY_LIMIT = '1mb';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

/** Reads any body into req.rawBody (inflating gzip/deflate/br as body-parser does); req.body stays unset. */
export function readRawBody(): RequestHandler {
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  return (req, res, next) => {
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      const r = req as RequestWithRawBody;
      r.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      req.body = undefined;
      next();
    });
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string in a parsed body that no field can hold (a NUL, a lone surrogate), with its path. */
export function badTextIn(value: unknown, path: string[] = []): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    if (NUL.test(value)) return { path: path.join('.') || '(body)', problem: 'contains a NUL character (\\u0000)' };
    if (LONE_SURROGATE.test(value)) return { path: path.join('.') || '(body)', problem: 'contains a lone UTF-16 surrogate (not a character)' };
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = badTextIn(k, [...path, '(key)']);
      if (keyProblem) return keyProblem;
      const found = badTextIn(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

const isJson = (req: Request) => Boolean(req.is(['application/json', 'application/*+json']));

/** Parses req.rawBody as JSON (when the request says it is JSON) into req.body. */
export function parseJsonInto(req: Request): void {
  const r = req as RequestWithRawBody;
  if (req.body !== undefined || !r.rawBody || r.rawBody.length === 0 || !isJson(req)) return;
  const charset = (req.get('content-type') ?? '').match(/charset=["']?([^;"'\s]+)/i)?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new HttpError('UNSUPPORTED_CHARSET', `the body must be UTF-8 JSON, not ${charset}`);
  let text: string;
  try {
    text = utf8.decode(r.rawBody);
  } catch {
    throw new HttpError('INVALID_ENCODING', 'the request body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError('MALFORMED_JSON', 'the request body is not valid JSON');
  }
  const bad = badTextIn(parsed);
  if (bad) throw new HttpError('INVALID_TEXT', `${bad.path} ${bad.problem}`, [{ path: bad.path, message: bad.problem }]);
  req.body = parsed;
}

/** Middleware form of parseJsonInto: mount it after the route's authentication. */
export const parseJsonBody: RequestHandler = (req, _res, next) => {
  try {
    parseJsonInto(req);
    next();
  } catch (error) {
    next(error);
  }
};
