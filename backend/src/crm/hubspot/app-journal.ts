import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import type { AppLifecycleEntry, AppLifecycleEvent, AppLifecycleSource } from '../app-lifecycle';
import { CrmError } from '../errors';
import type { AccessTokenSource } from './access-token';
import { callHubSpot, HubSpotHttpError, withDeadline, type CallContext, type CallPolicy } from './call-hubspot';
import { hubspotPortalId } from './portal-id';
import { PortalLimiter } from './portal-limiter';

// How a HubSpot app on the current developer platform learns that a portal uninstalled it:
// HubSpot writes APP_LIFECYCLE_EVENT (APP_INSTALL / APP_UNINSTALL) events to the app's webhooks
// journal, which the app polls with a client-credentials token (no portal's OAuth token: the
// journal spans every install). There is no push: webhooks-hsmeta.json cannot declare these
// subscriptions, they are created per install through the subscriptions API. @hubspot/api-client
// 14 has no journal or client-credentials call, so these go through the SDK's generic
// `apiRequest` (its base path and user agent), with our call policy: timeout, retries with
// backoff on 5xx and network errors, 429 by Retry-After, one new token after a 401.

export const JOURNAL_VERSION = '2026-03';
export const JOURNAL_SCOPES = ['developer.webhooks_journal.read', 'developer.webhooks_journal.subscriptions.read', 'developer.webhooks_journal.subscriptions.write'];

export interface AppJournalOptions {
  clientId: string;
  clientSecret: string;
  basePath?: string;
  policy: CallPolicy;
  now?: () => Date;
}

const pointer = z.object({ currentOffset: z.string().min(1), url: z.string().url() });
const journalEvent = z
  .object({
    action: z.string(),
    portalId: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
    occurredAt: z.union([z.number(), z.string()]),
    type: z.string().optional(),
    subscriptionType: z.string().optional(),
  })
  .passthrough();
const journalFile = z.object({ offset: z.string().optional(), journalEvents: z.array(z.unknown()).default([]) }).passthrough();
const subscriptions = z.object({
  results: z.array(z.object({ id: z.union([z.number(), z.string()]), subscriptionType: z.string(), portalId: z.union([z.number(), z.string()]).nullish(), actions: z.array(z.string()).default([]) }).passthrough()).default([]),
});

const LIFECYCLE = 'APP_LIFECYCLE_EVENT';
const EARLY_MS = 60_000;

/** Reads the app's lifecycle events from HubSpot's webhooks journal. */
export class HubSpotAppJournal implements AppLifecycleSource {
  readonly appId: string;
  private token: { value: string; expiresAt: number } | null = null;
  private readonly call: CallContext;
  private readonly now: () => Date;

  constructor(private readonly options: AppJournalOptions) {
    this.appId = `hubspot-app:${options.clientId}`;
    this.now = options.now ?? (() => new Date());
    const auth: AccessTokenSource = {
      canRefresh: true,
      authHint: 'HubSpot refused the app\'s client-credentials token for the webhooks journal',
      accessToken: () => this.clientToken(false),
      refresh: () => this.clientToken(true),
    };
    this.call = {
      policy: options.policy,
      // The journal allows far more than we ask (a few calls every 5 minutes); one at a time.
      limiter: new PortalLimiter({ perWindow: 100, windowMs: 10_000, maxConcurrent: 1, marginShare: 0 }),
      auth,
      clientFor: (token) => new Client({ accessToken: token, numberOfApiCallRetries: 0, ...(options.basePath ? { basePath: options.basePath } : {}) }),
      stats: { calls: 0, rateLimited: 0, retried: 0 },
    };
  }

  get stats() {
    return this.call.stats;
  }

  async ensureSubscribed(portalIds: string[]): Promise<{ created: string[] }> {
    const wanted = portalIds.map(hubIdOf).filter((id): id is string => id !== null);
    if (wanted.length === 0) return { created: [] };
    const listed = subscriptions.safeParse(await this.request('list the journal subscriptions', 'GET', `/webhooks-journal/subscriptions/${JOURNAL_VERSION}`));
    if (!listed.success) throw new CrmError('CRM_REJECTED', 'HubSpot answered the journal subscription list with an unexpected shape');
    const lifecycle = listed.data.results.filter((s) => s.subscriptionType === LIFECYCLE && s.actions.includes('APP_UNINSTALL'));
    // A subscription without a portal covers every install.
    if (lifecycle.some((s) => s.portalId === null || s.portalId === undefined)) return { created: [] };
    const covered = new Set(lifecycle.map((s) => String(s.portalId)));
    const created: string[] = [];
    for (const hubId of wanted) {
      if (covered.has(hubId)) continue;
      // Not retried after a timeout or a 5xx (it may have been created): the next run lists again.
      await this.request(`subscribe to portal ${hubId}'s uninstalls`, 'POST', `/webhooks-journal/subscriptions/${JOURNAL_VERSION}`, { subscriptionType: LIFECYCLE, portalId: Number(hubId), actions: ['APP_INSTALL', 'APP_UNINSTALL'] }, false);
      created.push(hubspotPortalId(hubId));
    }
    return { created };
  }

  async next(offset: string | null): Promise<AppLifecycleEntry | null> {
    const path = offset === null ? `/webhooks-journal/journal/${JOURNAL_VERSION}/earliest` : `/webhooks-journal/journal/${JOURNAL_VERSION}/offset/${encodeURIComponent(offset)}/next`;
    let answer: unknown;
    try {
      answer = await this.request('read the webhooks journal', 'GET', path);
    } catch (error) {
      // The earliest entry of an empty journal is no entry, not an error.
      if (offset === null && error instanceof CrmError && error.code === 'CRM_NOT_FOUND') return null;
      throw error;
    }
    if (answer === null) return null; // 204: nothing after this offset yet
    const at = pointer.safeParse(answer);
    if (!at.success) throw new CrmError('CRM_REJECTED', 'HubSpot answered the journal read with an unexpected shape (no currentOffset and url)');
    // The entry's file is behind a pre-signed URL, fetched without our Authorization header.
    const file = journalFile.safeParse(await this.download(at.data.url));
    if (!file.success) throw new CrmError('CRM_REJECTED', `HubSpot's journal entry ${at.data.currentOffset} is not a journal file`);
    const events: AppLifecycleEvent[] = [];
    for (const raw of file.data.journalEvents) {
      const e = journalEvent.safeParse(raw);
      if (!e.success) continue; // object and association events of other subscriptions
      const type = e.data.subscriptionType ?? e.data.type;
      if (type !== undefined && type !== LIFECYCLE) continue;
      if (e.data.action !== 'APP_INSTALL' && e.data.action !== 'APP_UNINSTALL') continue;
      const occurredAt = new Date(typeof e.data.occurredAt === 'number' || /^\d+$/.test(e.data.occurredAt) ? Number(e.data.occurredAt) : e.data.occurredAt);
      if (Number.isNaN(occurredAt.getTime())) continue;
      const portalId = hubspotPortalId(e.data.portalId);
      events.push({ key: `${portalId}:${e.data.action}:${occurredAt.toISOString()}`, portalId, action: e.data.action, occurredAt: occurredAt.toISOString() });
    }
    return { offset: at.data.currentOffset, events };
  }

  private async request(what: string, method: 'GET' | 'POST', path: string, body?: unknown, idempotent = true): Promise<unknown> {
    return callHubSpot(this.call, what, { idempotent }, async (client) => answerOf(await client.apiRequest({ method, path, ...(body === undefined ? {} : { body }) })));
  }

  private download(url: string): Promise<unknown> {
    const anonymous = new Client({ numberOfApiCallRetries: 0 });
    return callHubSpot(this.call, 'download a webhooks journal entry', { idempotent: true }, async () => answerOf(await anonymous.apiRequest({ method: 'GET', overlapUrl: url })));
  }

  /** The app's own client-credentials token, kept until shortly before it expires. */
  private async clientToken(fresh: boolean): Promise<string> {
    if (!fresh && this.token && this.token.expiresAt - EARLY_MS > this.now().getTime()) return this.token.value;
    const client = new Client({ numberOfApiCallRetries: 0, ...(this.options.basePath ? { basePath: this.options.basePath } : {}) });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret, scope: JOURNAL_SCOPES.join(' ') });
    const answer = await withDeadline(
      async () => answerOf(await client.apiRequest({ method: 'POST', path: '/oauth/v1/token', body: form.toString(), defaultJson: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })),
      this.options.policy.timeoutMs,
    ).catch((error) => {
      // A refused client (bad id or secret, journal scopes not granted) will not get better by
      // retrying; 5xx, 429 and timeouts go back to the call policy.
      if (error instanceof HubSpotHttpError && (error.status === 400 || error.status === 401 || error.status === 403)) {
        throw new CrmError('CRM_AUTH', `HubSpot refused the app's client credentials (HTTP ${error.status}); check HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and the app's journal scopes (${JOURNAL_SCOPES.join(', ')})`, { status: error.status });
      }
      throw error;
    });
    const parsed = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() }).safeParse(answer);
    if (!parsed.success) throw new CrmError('CRM_AUTH', 'HubSpot answered the client-credentials request without an access token');
    this.token = { value: parsed.data.access_token, expiresAt: this.now().getTime() + parsed.data.expires_in * 1000 };
    return this.token.value;
  }
}

const hubIdOf = (portalId: string): string | null => /^hubspot:(\d+)$/.exec(portalId)?.[1] ?? null;

/** A fetch Response as the call policy wants it: the JSON body, null for 204, HubSpotHttpError otherwise. */
async function answerOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) {
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { message: text.slice(0, 200) };
    }
    throw new HubSpotHttpError(response.status, body, Object.fromEntries(response.headers.entries()));
  }
  if (response.status === 204 || text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CrmError('CRM_REJECTED', `HubSpot answered HTTP ${response.status} with a body that is not JSON`);
  }
}
