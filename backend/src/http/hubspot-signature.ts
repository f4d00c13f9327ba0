import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { statusOf, type HttpErrorCode } from './errors';
import { parseJsonInto } from './body';

// Verifies that a request comes from HubSpot for this app, before anything else runs:
// v3 (cards through hubspot.fetch, webhooks, workflow actions): base64 HMAC-SHA256 with the
// app's client secret over method + full URI + raw body + timestamp; v2 (older workflow
// action calls): hex SHA-256 of secret + method + URI + body. Constant-time comparison,
// timestamps older (or newer) than 5 minutes refused, a signature seen before refused.
// The portal the routes act on is set here, from the signed request only.

export { MAX_AGE_MS, REPLAY_TTL_MS } from './signature-window';
import { MAX_AGE_MS, REPLAY_TTL_MS } from './signature-window';

export interface SignatureOptions {
  clientSecret: string;
  /** The URL HubSpot called, as seen from outside (behind a proxy the Host header lies). */
  publicBaseUrl?: string;
  /**
   * Accept v2 signatures (workflow actions configured before v3), for every request (true) or
   * for those the predicate picks (serve: the workflow action's route only). Where v2 is
   * accepted the portal may come from the signed body's origin; elsewhere only from the query.
   */
  allowV2?: boolean | ((req: Request) => boolean);
  now?: () => number;
  /** Where accepted signatures are remembered: serve keeps them in the store (StoreReplayCache). */
  replayCache?: ReplayGuard;
}

export interface ReplayGuard {
  /** True when the signature was already used (and records it otherwise). */
  checkAndRemember(signature: string, now: number): boolean | Promise<boolean>;
}

/** Remembers signatures for the acceptance window in this process only (tests; serve uses the store). */
export class ReplayCache implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs = REPLAY_TTL_MS) {}

  /** True when the signature was already used (and records it otherwise). */
  checkAndRemember(signature: string, now: number): boolean {
    for (const [sig, until] of this.seen) {
      if (until > now) break; // insertion order = expiry order
      this.seen.delete(sig);
    }
    if (this.seen.has(signature)) return true;
    this.seen.set(signature, now + this.ttlMs);
    return false;
  }
}

// HubSpot decodes these characters in the URI before signing.
const DECODE: Array<[RegExp, string]> = [
  [/%3A/gi, ':'], [/%2F/gi, '/'], [/%3F/gi, '?'], [/%40/gi, '@'], [/%21/gi, '!'], [/%24/gi, '$'],
  [/%27/gi, "'"], [/%28/gi, '('], [/%29/gi, ')'], [/%2A/gi, '*'], [/%2C/gi, ','], [/%3B/gi, ';'],
];
const hubspotDecode = (uri: string) => DECODE.reduce((u, [re, ch]) => u.replace(re, ch), uri);

function fullUri(req: Request, publicBaseUrl?: string): string {
  const base = publicBaseUrl ? publicBaseUrl.replace(/\/$/, '') : `${req.protocol}://${req.get('host')}`;
  return `${base}${req.originalUrl}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type SignatureFailure = Extract<HttpErrorCode, 'MISSING_SIGNATURE' | 'STALE_SIGNATURE' | 'INVALID_SIGNATURE' | 'REPLAYED_SIGNATURE'>;

const v2AllowedFor = (req: Request, options: SignatureOptions) => (typeof options.allowV2 === 'function' ? options.allowV2(req) : options.allowV2 === true);

export async function checkSignature(req: Request & { rawBody?: Buffer }, options: SignatureOptions): Promise<{ ok: true } | { ok: false; code: SignatureFailure; message: string }> {
  const now = (options.now ?? Date.now)();
  const body = req.rawBody ? req.rawBody.toString('utf8') : '';
  const uri = fullUri(req, options.publicBaseUrl);
  const v3 = req.get('x-hubspot-signature-v3');
  if (v3) {
    const timestamp = req.get('x-hubspot-request-timestamp');
    if (!timestamp || !/^\d{10,16}$/.test(timestamp)) return { ok: false, code: 'MISSING_SIGNATURE', message: 'X-HubSpot-Request-Timestamp is missing or malformed' };
    if (Math.abs(now - Number(timestamp)) > MAX_AGE_MS) return { ok: false, code: 'STALE_SIGNATURE', message: 'the request timestamp is more than 5 minutes away from now' };
    const expected = createHmac('sha256', options.clientSecret).update(`${req.method}${hubspotDecode(uri)}${body}${timestamp}`, 'utf8').digest('base64');
    if (!sameText(expected, v3)) return { ok: false, code: 'INVALID_SIGNATURE', message: 'the signature does not match this request' };
    if (await options.replayCache?.checkAndRemember(`v3:${v3}`, now)) return { ok: false, code: 'REPLAYED_SIGNATURE', message: 'this signed request was already received' };
    return { ok: true };
  }
  const v2 = req.get('x-hubspot-signature');
  if (v2 && v2AllowedFor(req, options) && req.get('x-hubspot-signature-version') === 'v2') {
    const expected = createHash('sha256').update(`${options.clientSecret}${req.method}${uri}${body}`, 'utf8').digest('hex');
    if (!sameText(expected, v2.toLowerCase())) return { ok: false, code: 'INVALID_SIGNATURE', message: 'the signature does not match this request' };
    // v2 has no timestamp: replays are refused while remembered, and the workflow action
    // itself is idempotent on callbackId.
    if (await options.replayCache?.checkAndRemember(`v2:${v2}:${body}`, now)) return { ok: false, code: 'REPLAYED_SIGNATURE', message: 'this signed request was already received' };
    return { ok: true };
  }
  return { ok: false, code: 'MISSING_SIGNATURE', message: 'the request is not signed by HubSpot' };
}

/**
 * Express middleware. Mount after the raw body is kept on req.rawBody (createApp's
 * readRawBody does); it parses the JSON body only once the signature holds. On success sets
 * res.locals.portalId (from the signed query string, or the signed workflow body's origin) and
 * res.locals.userId / userEmail.
 */
export function verifyHubSpotSignature(options: SignatureOptions): RequestHandler {
  const replayCache = options.replayCache ?? new ReplayCache();
  return async (req, res, next) => {
    const result = await checkSignature(req as Request & { rawBody?: Buffer }, { ...options, replayCache });
    if (!result.ok) {
      // Answered here, not through the error middleware, so the check stands on its own in any app.
      res.status(statusOf(result.code)).json({ error: { code: result.code, message: result.message, requestId: (req as Request & { id?: string }).id ?? 'unknown' } });
      return;
    }
    // Signed bytes are trusted bytes: only now is the body parsed (the workflow body names its portal).
    try {
      parseJsonInto(req);
    } catch (error) {
      next(error);
      return;
    }
    const query = req.query as Record<string, unknown>;
    const bodyPortal = (req.body as { origin?: { portalId?: unknown } } | undefined)?.origin?.portalId;
    const portal = typeof query.portalId === 'string' ? query.portalId : bodyPortal !== undefined && v2AllowedFor(req, options) ? String(bodyPortal) : undefined;
    if (portal !== undefined && /^\d{1,20}$/.test(portal)) res.locals.portalId = portal;
    // hubspot.fetch appends the acting user (userId, userEmail) to the signed URL: who clicked.
    if (typeof query.userId === 'string' && /^\d{1,20}$/.test(query.userId)) res.locals.userId = query.userId;
    if (typeof query.userEmail === 'string' && query.userEmail.length <= 254 && /^[^\s<>@]+@[^\s<>@]+$/.test(query.userEmail)) res.locals.userEmail = query.userEmail;
    next();
  };
}
