import type { Client } from '@hubspot/api-client';
import type { Ask, Consent } from '../../domain/types';
import type { Db } from '../../store/db';
import { CrmError } from '../errors';
import type { AccountPage, AccountSignals, AccountsRead, ChangedAccount, CrmPort, CrmTask, Deal, ReadinessWriteBack, WrittenBack } from '../port';
import { htmlFromText, plainLine } from '../field-encoding';
import type { AuditCheckpoint } from '../../store/audit-checkpoint';
import { AskMirror, type AskItem, type AskObjectType, type AskStorage } from './ask-mirror';
import { latestCheckpointNote, saveCheckpointNote } from './audit-anchor';
import { writeInBatches } from './batch-writes';
import { buildClient, callHubSpot, defaultCallPolicy, type CallContext, type CallPolicy } from './call-hubspot';
import { createOnce } from './create-once';
import { findByKey, htmlMarker, taskKeyMarker } from './find-by-key';
import { companyProperties, defaultHubSpotFieldMap, type HubSpotFieldMap } from './field-map';
import { toDeal, type HsRecord } from './map-records';
import { DEFAULT_RATE_LIMIT, limiterForPortal, type CallLimiter, type RateLimit } from './portal-limiter';
import { ChangeReader } from './read-changes';
import { ClosedDealReader } from './read-closed-deals';
import { readAccounts } from './read-accounts';
import { PortfolioReader } from './read-portfolio';
import type { AccessTokenSource } from './token-store';

// The HubSpot adapter, on @hubspot/api-client: the CrmPort in HubSpot's terms. Reads come from
// read-portfolio (batched, never per record), tasks and notes are created once per idempotency
// key (create-once), asks are mirrored by ask-mirror, every call goes through call-hubspot
// (the portal's limiter, timeouts, 429 policies, retries). The full scan never uses the search
// API (5 requests/s, 10,000 results per query): list paging and batch reads cover it. Two reads
// search, spaced and paged by id: the reference KPIs' closed deals (read-closed-deals) and the
// incremental refresh's changed companies and contacts (read-changes).

export type { AskObjectType, AskStorage } from './ask-mirror';

export const ASSOCIATION = {
  taskToCompany: 192,
  taskToContact: 204,
  taskToDeal: 216,
  contactToCompanyPrimary: 1,
} as const;

export interface HubSpotCrmOptions {
  portalId: string;
  /** Where the idempotency-key -> created object map lives (survives restarts). */
  db: Db;
  auth: AccessTokenSource;
  fieldMap?: HubSpotFieldMap;
  policy?: CallPolicy;
  rate?: RateLimit;
  /** Shared per portal by default; tests and the bench may pass their own. */
  limiter?: CallLimiter;
  /** The API host (tests use the real one through nock; the bench a local stub). */
  basePath?: string;
  /**
   * Where asks go: the custom object, or notes on the company below Enterprise. Unset: what
   * `setupHubSpot` recorded for this portal, else the custom object.
   */
  mode?: AskStorage;
  /** From the setup report; looked up once from the schema list when absent. */
  askObject?: AskObjectType | null;
  askObjectName?: string;
  /** Read the next scan page while the scan works on this one (default true). */
  prefetch?: boolean;
  /** Waits between search calls (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
}

export class HubSpotCrm implements CrmPort {
  readonly kind = 'hubspot' as const;
  readonly portalId: string;
  private readonly map: HubSpotFieldMap;
  private readonly db: Db;
  private readonly ctx: CallContext;
  private readonly prefetch: boolean;
  private readonly reader: PortfolioReader;
  private readonly closedDeals: ClosedDealReader;
  private readonly changes: ChangeReader;
  private readonly asks: AskMirror;
  private ahead: { cursor: string; limit: number; page: Promise<AccountPage> } | null = null;
  private clients = new Map<string, Client>();

  constructor(options: HubSpotCrmOptions) {
    this.portalId = options.portalId;
    this.db = options.db;
    this.map = options.fieldMap ?? defaultHubSpotFieldMap();
    this.prefetch = options.prefetch ?? true;
    const basePath = options.basePath;
    this.ctx = {
      policy: options.policy ?? defaultCallPolicy(),
      limiter: options.limiter ?? limiterForPortal(options.portalId, options.rate ?? DEFAULT_RATE_LIMIT),
      auth: options.auth,
      stats: { calls: 0, rateLimited: 0, retried: 0 },
      clientFor: (token) => {
        let client = this.clients.get(token);
        if (!client) {
          // A refreshed token gets a new client; the old one is dropped with it.
          this.clients.clear();
          client = buildClient(token, basePath);
          this.clients.set(token, client);
        }
        return client;
      },
    };
    this.reader = new PortfolioReader((what, run) => this.call(what, run), this.map);
    this.closedDeals = new ClosedDealReader((what, run) => this.call(what, run), this.map, options.sleep);
    this.changes = new ChangeReader((what, run) => this.call(what, run), options.sleep);
    this.asks = new AskMirror(this.ctx, this.db, this.portalId, { mode: options.mode, askObject: options.askObject, askObjectName: options.askObjectName });
  }

  /** Calls made, 429s met and retries, for the benchmark and the logs. */
  get stats(): Readonly<CallContext['stats']> {
    return this.ctx.stats;
  }

  get fieldMap(): HubSpotFieldMap {
    return this.map;
  }

  private call<T>(what: string, run: (client: Client) => Promise<T>, idempotent = true): Promise<T> {
    return callHubSpot(this.ctx, what, { idempotent }, run);
  }

  // ---- reads ----

  async listAccounts({ cursor, limit }: { cursor: string | null; limit: number }): Promise<AccountPage> {
    const ahead = this.ahead;
    this.ahead = null;
    const page = ahead && cursor !== null && ahead.cursor === cursor && ahead.limit === limit ? await ahead.page : await this.reader.readPage(cursor, limit);
    if (this.prefetch && page.nextCursor) {
      const next = this.reader.readPage(page.nextCursor, limit);
      // Surfaced when the scan asks for that page; a scan that stopped never asks.
      next.catch(() => undefined);
      this.ahead = { cursor: page.nextCursor, limit, page: next };
    }
    return page;
  }

  async getAccount(accountId: string): Promise<AccountSignals | null> {
    const company = await this.orNull(this.call('read company', (c) => c.crm.companies.basicApi.getById(accountId, companyProperties(this.map))));
    if (!company) return null;
    const [signals] = await this.reader.withContacts([company as unknown as HsRecord]);
    return signals;
  }

  /** Batch reads, never one request per company (read-accounts). */
  getAccounts(accountIds: string[]): Promise<AccountsRead> {
    return readAccounts((what, run) => this.call(what, run), this.reader, this.map, accountIds);
  }

  async accountIdOfContact(contactId: string): Promise<string | null> {
    const res = await this.orNull(this.call('read contact companies', (c) => c.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies', undefined, 100)));
    if (!res || res.results.length === 0) return null;
    const primary = res.results.find((r) => r.associationTypes.some((t) => t.typeId === ASSOCIATION.contactToCompanyPrimary));
    return String((primary ?? res.results[0]).toObjectId);
  }

  async getDeal(dealId: string): Promise<Deal | null> {
    const props = ['dealname', 'amount', 'dealstage', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'hubspot_owner_id'];
    const deal = await this.orNull(this.call('read deal', (c) => c.crm.deals.basicApi.getById(dealId, props, undefined, ['companies'])));
    if (!deal) return null;
    const links = deal.associations?.companies?.results ?? [];
    const primary = links.find((l) => l.type === 'deal_to_company') ?? links[0];
    const companyId = primary ? String(primary.id) : null;
    const company = companyId ? await this.orNull(this.call('read deal company', (c) => c.crm.companies.basicApi.getById(companyId, companyProperties(this.map)))) : null;
    return toDeal(deal as unknown as HsRecord, companyId, (company as unknown as HsRecord) ?? null, this.map);
  }

  /** Closed deals for the reference KPIs (search API, keyset by id; see read-closed-deals). */
  listClosedDeals(page: { from: string; to: string; cursor: string | null; limit: number }): Promise<{ items: Deal[]; nextCursor: string | null }> {
    return this.closedDeals.page(page);
  }

  private async orNull<T>(pending: Promise<T>): Promise<T | null> {
    try {
      return await pending;
    } catch (error) {
      if (error instanceof CrmError && error.code === 'CRM_NOT_FOUND') return null;
      throw error;
    }
  }

  // ---- tasks ----

  async createTask(task: CrmTask): Promise<{ taskId: string }> {
    const [result] = await this.createTasks([task]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `HubSpot refused the task: ${result.error}`);
    return result;
  }

  /**
   * Same key, same task (create-once claims the key in our database and keeps key -> task id).
   * The key also ends the task body: a person can trace a task back to its decision, and a
   * retry after a crash finds the task by it.
   */
  async createTasks(tasks: CrmTask[]): Promise<Array<{ taskId: string } | { error: string }>> {
    const byKey = new Map(tasks.map((t) => [t.idempotencyKey, t]));
    const outcomes = await createOnce(
      this.ctx,
      this.db,
      this.portalId,
      'tasks',
      [...byKey.keys()],
      (key) => {
        const t = byKey.get(key)!;
        return {
          properties: {
            // The subject is a plain-text line; the body is an HTML field, so names in it are escaped.
            hs_task_subject: plainLine(t.subject, 255),
            hs_task_body: htmlFromText(`${t.body}\n\n${taskKeyMarker(t.idempotencyKey)}`),
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: t.kind === 'handoff' ? 'HIGH' : 'MEDIUM',
            hs_task_type: 'TODO',
            // Due at noon UTC: the due day reads the same in every time zone within ±11 hours.
            hs_timestamp: `${t.dueOn}T12:00:00.000Z`,
            [this.map.task.owner]: t.ownerId,
          },
          associations: [
            { to: { id: t.accountId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.taskToCompany }] },
            ...(t.contactId ? [{ to: { id: t.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.taskToContact }] }] : []),
            ...(t.dealId ? [{ to: { id: t.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.taskToDeal }] }] : []),
          ],
        };
      },
      (client, inputs) => client.crm.objects.tasks.batchApi.create({ inputs: inputs as never }),
      // Only keys a crashed attempt left unconfirmed: the company's tasks, by the key in the body.
      (keys) => findByKey((what, run) => this.call(what, run), 'tasks', 'hs_task_body', keys.map((key) => ({ key, companyId: byKey.get(key)!.accountId, marker: htmlMarker(taskKeyMarker(key)) }))),
    );
    return tasks.map((t) => {
      const r = outcomes.get(t.idempotencyKey)!;
      return 'id' in r ? { taskId: r.id } : r;
    });
  }

  // ---- asks ----

  async saveAsk(ask: Ask, extra: { outcomeNote?: string | null; consent?: Consent | null } = {}): Promise<{ crmAskId: string | null }> {
    const [result] = await this.saveAsks([{ ask, ...extra }]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `HubSpot refused ask ${ask.askId}: ${result.error}`);
    return result;
  }

  async saveAsks(items: AskItem[]): Promise<Array<{ crmAskId: string | null } | { error: string }>> {
    const outcomes = await this.asks.save(items);
    return items.map(({ ask }) => {
      const r = outcomes.get(ask.askId) ?? { error: 'not sent' };
      return 'id' in r ? { crmAskId: r.id } : r;
    });
  }

  async recordConsent(consent: Consent): Promise<void> {
    await this.asks.recordConsent(consent);
  }

  /** The ask storage setup chose for this portal. */
  askStorage(): Promise<AskStorage> {
    return this.asks.storage();
  }

  // ---- audit checkpoints ----

  async saveAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await saveCheckpointNote((what, run, idempotent) => this.call(what, run, idempotent), checkpoint);
  }

  latestAuditCheckpoint(): Promise<AuditCheckpoint | null> {
    return latestCheckpointNote((what, run, idempotent) => this.call(what, run, idempotent));
  }

  // ---- write-back ----

  async writeBack(updates: ReadinessWriteBack[]): Promise<WrittenBack[]> {
    if (updates.length === 0) return [];
    // Empty string clears a HubSpot property; null would be ignored.
    const value = (v: string | number | null) => (v === null ? '' : String(v));
    const { outcomes, failure } = await writeInBatches(
      this.ctx,
      'update companies',
      updates.map((u) => ({
        traceId: u.accountId,
        body: {
          id: u.accountId,
          properties: {
            advocacy_readiness_score: value(u.readinessScore),
            advocacy_readiness_band: value(u.band),
            advocacy_status: u.advocacyStatus,
            advocacy_last_ask_date: value(u.lastAskDate),
          },
        },
      })),
      (client, inputs) => client.crm.companies.batchApi.update({ inputs: inputs as never }),
      { idempotent: true },
    );
    if (failure) throw failure;
    const failed = [...outcomes].filter(([, o]) => 'error' in o);
    if (failed.length) throw new CrmError('CRM_REJECTED', `HubSpot refused ${failed.length} of ${updates.length} company updates`, { failed: failed.slice(0, 20).map(([id, o]) => ({ id, error: (o as { error: string }).error })) });
    // HubSpot's time of each update: it is also the company's hs_lastmodifieddate, so the next
    // change listing can tell this write from someone else's.
    return [...outcomes].flatMap(([accountId, o]) => ('updatedAt' in o && o.updatedAt ? [{ accountId, writtenAt: o.updatedAt }] : []));
  }

  /** Companies and contacts modified since `since`, searched and paged by id (read-changes). */
  changedAccountsSince(since: string): Promise<ChangedAccount[]> {
    return this.changes.changedSince(since);
  }
}
