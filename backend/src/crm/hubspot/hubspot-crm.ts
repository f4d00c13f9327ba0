import type { Client } from '@hubspot/api-client';
import type { Ask, Consent, Owner } from '../../domain/types';
import type { Db } from '../../store/db';
import { createdObjectIds, readPortalSetup, rememberCreatedObjects } from '../../store/hubspot-tokens-repo';
import { CrmError } from '../errors';
import type { AccountPage, AccountSignals, CrmPort, CrmTask, Deal, ReadinessWriteBack } from '../port';
import { askNoteBody, askProperties, consentNoteBody } from './ask-record';
import { BATCH_LIMIT, writeInBatches, type BatchInput, type BatchOutcome } from './batch-writes';
import { buildClient, callHubSpot, defaultCallPolicy, type CallContext, type CallPolicy } from './call-hubspot';
import { companyProperties, contactProperties, defaultHubSpotFieldMap, type HubSpotFieldMap } from './field-map';
import { toAccountSignals, toDeal, type HsRecord } from './map-records';
import { DEFAULT_RATE_LIMIT, limiterForPortal, PortalLimiter, type RateLimit } from './portal-limiter';
import type { AccessTokenSource } from './token-store';

// The HubSpot adapter, on @hubspot/api-client. Reads the portfolio 100 companies per call,
// their contacts through v4 association batch reads (1,000 companies per call) and contact
// batch reads (100 per call); writes tasks, asks and company properties in batches of 100.
// Nothing here uses the search API (5 requests/s, 10,000 results per query): list paging and
// batch reads cover the scan without either limit.

export const ASSOCIATION = {
  taskToCompany: 192,
  taskToContact: 204,
  taskToDeal: 216,
  noteToCompany: 190,
  noteToContact: 202,
  noteToDeal: 214,
  contactToCompanyPrimary: 1,
  dealToCompanyPrimary: 5,
} as const;

const ASSOCIATION_READ_LIMIT = 1000;
const OWNERS_PAGE = 500;
const OWNERS_TTL_MS = 60 * 60 * 1000;

export type AskStorage = 'custom_object' | 'notes';

export interface AskObjectType {
  objectTypeId: string;
  /** Association type ids from the ask object to each record type (USER_DEFINED in the schema). */
  associationTypeIds: { company: number | null; contact: number | null; deal: number | null };
}

export interface HubSpotCrmOptions {
  portalId: string;
  /** Where the idempotency-key -> created object map lives (survives restarts). */
  db: Db;
  auth: AccessTokenSource;
  fieldMap?: HubSpotFieldMap;
  policy?: CallPolicy;
  rate?: RateLimit;
  /** Shared per portal by default; tests and the bench may pass their own. */
  limiter?: PortalLimiter;
  /** The API host (tests use the real one through nock; the bench a local stub). */
  basePath?: string;
  /**
   * Where asks go: the custom object, or notes on the company below Enterprise. Unset: what
   * `setupHubSpot` recorded for this portal, else the custom object.
   */
  mode?: AskStorage;
  /** From the setup report; looked up once from the schema when absent. */
  askObject?: AskObjectType | null;
  askObjectName?: string;
  /** Read the next scan page while the scan works on this one (default true). */
  prefetch?: boolean;
}

interface Cursor {
  v: 1;
  after: string | null;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string | null): Cursor {
  if (!raw) return { v: 1, after: null };
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (c.v === 1 && (c.after === null || typeof c.after === 'string')) return c;
  } catch {
    // fall through
  }
  throw new CrmError('CRM_REJECTED', 'this scan checkpoint was not written by the HubSpot adapter');
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export class HubSpotCrm implements CrmPort {
  readonly kind = 'hubspot' as const;
  readonly portalId: string;
  private storage: Promise<AskStorage> | null;
  private readonly map: HubSpotFieldMap;
  private readonly db: Db;
  private readonly ctx: CallContext;
  private readonly prefetch: boolean;
  private readonly askObjectName: string;
  private askObject: Promise<AskObjectType> | null;
  private owners: { loadedAt: number; map: Promise<Map<string, Owner>> } | null = null;
  private ahead: { cursor: string; limit: number; page: Promise<AccountPage> } | null = null;
  private clients = new Map<string, Client>();

  constructor(options: HubSpotCrmOptions) {
    this.portalId = options.portalId;
    this.db = options.db;
    this.map = options.fieldMap ?? defaultHubSpotFieldMap();
    this.storage = options.mode ? Promise.resolve(options.mode) : null;
    this.prefetch = options.prefetch ?? true;
    this.askObjectName = options.askObjectName ?? 'advocacy_ask';
    this.askObject = options.askObject ? Promise.resolve(options.askObject) : null;
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
    const page = ahead && cursor !== null && ahead.cursor === cursor && ahead.limit === limit ? await ahead.page : await this.readPage(cursor, limit);
    if (this.prefetch && page.nextCursor) {
      const next = this.readPage(page.nextCursor, limit);
      // Surfaced when the scan asks for that page; a scan that stopped never asks.
      next.catch(() => undefined);
      this.ahead = { cursor: page.nextCursor, limit, page: next };
    }
    return page;
  }

  private async readPage(cursor: string | null, limit: number): Promise<AccountPage> {
    let { after } = decodeCursor(cursor);
    const companies: HsRecord[] = [];
    const properties = companyProperties(this.map);
    do {
      const want = Math.min(BATCH_LIMIT, limit - companies.length);
      const at = after ?? undefined;
      const res = await this.call('list companies', (c) => c.crm.companies.basicApi.getPage(want, at, properties, undefined, undefined, false));
      companies.push(...(res.results as unknown as HsRecord[]));
      after = res.paging?.next?.after ?? null;
    } while (after && companies.length < limit);
    return { items: await this.withContacts(companies), nextCursor: after ? encodeCursor({ v: 1, after }) : null };
  }

  async getAccount(accountId: string): Promise<AccountSignals | null> {
    const company = await this.orNull(this.call('read company', (c) => c.crm.companies.basicApi.getById(accountId, companyProperties(this.map))));
    if (!company) return null;
    const [signals] = await this.withContacts([company as unknown as HsRecord]);
    return signals;
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

  private async orNull<T>(pending: Promise<T>): Promise<T | null> {
    try {
      return await pending;
    } catch (error) {
      if (error instanceof CrmError && error.code === 'CRM_NOT_FOUND') return null;
      throw error;
    }
  }

  private async withContacts(companies: HsRecord[]): Promise<AccountSignals[]> {
    if (companies.length === 0) return [];
    const [owners, contactIdsOf] = await Promise.all([this.loadOwners(), this.contactIdsOf(companies.map((c) => c.id))]);
    const allIds = [...new Set([...contactIdsOf.values()].flat())];
    const properties = contactProperties(this.map);
    const pages = await Promise.all(
      chunk(allIds, BATCH_LIMIT).map((ids) => this.call('read contacts', (c) => c.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false))),
    );
    const contacts = new Map<string, HsRecord>();
    for (const p of pages) for (const r of p.results) contacts.set(r.id, r as unknown as HsRecord);
    return companies.map((company) => {
      const mine = (contactIdsOf.get(company.id) ?? []).map((id) => contacts.get(id)).filter((c): c is HsRecord => !!c);
      return toAccountSignals(company, mine, owners, this.map);
    });
  }

  /** v4 association batch reads, 1,000 companies per call, following per-company paging. */
  private async contactIdsOf(companyIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(companyIds.map((id) => [id, []]));
    let inputs: Array<{ id: string; after?: string }> = companyIds.map((id) => ({ id }));
    while (inputs.length) {
      const answers = await Promise.all(chunk(inputs, ASSOCIATION_READ_LIMIT).map((part) => this.call('read company contacts', (c) => c.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: part }))));
      const more: Array<{ id: string; after: string }> = [];
      for (const answer of answers) {
        for (const r of answer.results) {
          const from = String(r._from.id);
          out.get(from)?.push(...r.to.map((t) => String(t.toObjectId)));
          const after = r.paging?.next?.after;
          if (after) more.push({ id: from, after });
        }
      }
      inputs = more;
    }
    return out;
  }

  /** Owners change rarely and a scan needs them all: one listing, kept for an hour. */
  private loadOwners(): Promise<Map<string, Owner>> {
    if (!this.owners || Date.now() - this.owners.loadedAt > OWNERS_TTL_MS) {
      const map = (async () => {
        const owners = new Map<string, Owner>();
        let after: string | undefined;
        do {
          const page = await this.call('list owners', (c) => c.crm.owners.ownersApi.getPage(undefined, after, OWNERS_PAGE, false));
          for (const o of page.results) {
            const name = [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || o.id;
            owners.set(String(o.id), { ownerId: String(o.id), name, email: o.email ?? null });
          }
          after = page.paging?.next?.after;
        } while (after);
        return owners;
      })();
      const entry = { loadedAt: Date.now(), map };
      this.owners = entry;
      // A failed load is tried again next time rather than cached.
      map.catch(() => {
        if (this.owners === entry) this.owners = null;
      });
    }
    return this.owners.map;
  }

  // ---- tasks ----

  async createTask(task: CrmTask): Promise<{ taskId: string }> {
    const [result] = await this.createTasks([task]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `HubSpot refused the task: ${result.error}`);
    return result;
  }

  /**
   * Idempotency: HubSpot has no idempotency header, and finding a task by a stored key would
   * need the search API (5 requests/s, eventually consistent). The map from key to task id is
   * kept in our database instead, written as soon as HubSpot answers: a restart, a retried
   * relay or the same key twice in one call finds the task and creates nothing. The key also
   * ends the task body, so a person can trace a task back to its decision.
   */
  async createTasks(tasks: CrmTask[]): Promise<Array<{ taskId: string } | { error: string }>> {
    const byKey = new Map(tasks.map((t) => [t.idempotencyKey, t]));
    const outcomes = await this.createOnce(
      'tasks',
      [...byKey.keys()],
      (key) => {
        const t = byKey.get(key)!;
        return {
          properties: {
            hs_task_subject: t.subject.slice(0, 255),
            hs_task_body: `${t.body}\n\n[advocacy-loop ${t.idempotencyKey}]`,
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
    );
    return tasks.map((t) => {
      const r = outcomes.get(t.idempotencyKey)!;
      return 'id' in r ? { taskId: r.id } : r;
    });
  }

  /**
   * Creates one object per distinct key not created before, remembers each new id as soon as
   * its batch answers, and reports per key. Throws only when nothing was created, or when
   * HubSpot said stop (after remembering what was created).
   */
  private async createOnce(
    objectType: string,
    keys: string[],
    body: (key: string) => Record<string, unknown>,
    send: (client: Client, inputs: Array<Record<string, unknown>>) => Promise<unknown>,
  ): Promise<Map<string, BatchOutcome>> {
    const distinct = [...new Set(keys)];
    const known = await createdObjectIds(this.db, this.portalId, distinct);
    const fresh: BatchInput[] = distinct.filter((k) => !known.has(k)).map((k) => ({ traceId: k, body: body(k) }));
    let created = 0;
    // Each batch's new ids are stored the moment HubSpot answers, before the next batch's answer.
    const remember = async (answered: Array<[string, BatchOutcome]>) => {
      const ids = answered.filter(([, o]) => 'id' in o).map(([key, o]) => ({ key, objectId: (o as { id: string }).id }));
      created += ids.length;
      await rememberCreatedObjects(this.db, this.portalId, objectType, ids);
    };
    const { outcomes, failure } = fresh.length ? await writeInBatches(this.ctx, `create ${objectType}`, fresh, send, { idempotent: false, onAnswer: remember }) : { outcomes: new Map<string, BatchOutcome>(), failure: null };
    if (failure) {
      const stop = failure instanceof CrmError && failure.stopsScan;
      if (stop || (created === 0 && known.size === 0)) throw failure;
    }
    const all = new Map<string, BatchOutcome>();
    for (const k of distinct) {
      const id = known.get(k);
      all.set(k, id ? { id } : (outcomes.get(k) ?? { error: failure instanceof Error ? failure.message : 'not sent' }));
    }
    return all;
  }

  // ---- asks ----

  async saveAsk(ask: Ask, extra: { outcomeNote?: string | null; consent?: Consent | null } = {}): Promise<{ crmAskId: string | null }> {
    const [result] = await this.saveAsks([{ ask, ...extra }]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `HubSpot refused ask ${ask.askId}: ${result.error}`);
    return result;
  }

  async saveAsks(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<Array<{ crmAskId: string | null } | { error: string }>> {
    const outcomes = (await this.askStorage()) === 'notes' ? await this.saveAsksAsNotes(items) : await this.saveAsksAsObjects(items);
    return items.map(({ ask }) => {
      const r = outcomes.get(ask.askId) ?? { error: 'not sent' };
      return 'id' in r ? { crmAskId: r.id } : r;
    });
  }

  /** The mode setup chose for this portal (read once); its ask object ids come with it. */
  askStorage(): Promise<AskStorage> {
    if (!this.storage) {
      this.storage = readPortalSetup(this.db, this.portalId).then((row) => {
        if (!row) return 'custom_object';
        const recorded = row.askObject as AskObjectType | null;
        if (row.askStorage === 'custom_object' && recorded?.objectTypeId && !this.askObject) this.askObject = Promise.resolve(recorded);
        return row.askStorage;
      });
      this.storage.catch(() => (this.storage = null));
    }
    return this.storage;
  }

  /** The ask object's type id and association ids, from the schema list (one call, cached). */
  private resolveAskObject(): Promise<AskObjectType> {
    if (!this.askObject) {
      const wanted = this.askObjectName;
      this.askObject = this.call('list object schemas', (c) => c.crm.schemas.coreApi.getAll(false)).then((all) => {
        const schema = all.results.find((s) => s.name === wanted || s.objectTypeId === wanted || s.fullyQualifiedName === wanted);
        if (!schema) throw new CrmError('CRM_REJECTED', `the portal has no "${wanted}" object: run \`advocacy setup hubspot\`, or set HUBSPOT_ASK_STORAGE=notes`);
        const objectTypeId = schema.objectTypeId ?? schema.id;
        const to = (typeId: string) => {
          const a = schema.associations.find((x) => x.fromObjectTypeId === objectTypeId && x.toObjectTypeId === typeId);
          return a ? Number(a.id) : null;
        };
        return { objectTypeId, associationTypeIds: { company: to('0-2'), contact: to('0-1'), deal: to('0-3') } };
      });
      this.askObject.catch(() => (this.askObject = null));
    }
    return this.askObject;
  }

  /**
   * New asks are created with their associations in the same call; asks HubSpot already has
   * (crmAskId known) are updated by id. ask_id is unique in the schema, so an ask created by a
   * run that died before recording its id is refused on create and then upserted by ask_id.
   */
  private async saveAsksAsObjects(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<Map<string, BatchOutcome>> {
    const type = await this.resolveAskObject();
    const out = new Map<string, BatchOutcome>();
    const known = items.filter((i) => (i.ask as { crmAskId?: string | null }).crmAskId);
    const fresh = items.filter((i) => !(i.ask as { crmAskId?: string | null }).crmAskId);
    const link = (id: string | null, typeId: number | null) => (id && typeId ? [{ to: { id }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: typeId }] }] : []);
    const [created, updated] = await Promise.all([
      writeInBatches(
        this.ctx,
        'create advocacy asks',
        fresh.map(({ ask, outcomeNote, consent }) => ({
          traceId: ask.askId,
          body: {
            properties: askProperties(ask, outcomeNote, consent),
            associations: [...link(ask.accountId, type.associationTypeIds.company), ...link(ask.contactId, type.associationTypeIds.contact), ...link(ask.dealId, type.associationTypeIds.deal)],
          },
        })),
        (client, inputs) => client.crm.objects.batchApi.create(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: false },
      ),
      writeInBatches(
        this.ctx,
        'update advocacy asks',
        known.map(({ ask, outcomeNote, consent }) => ({ traceId: ask.askId, body: { id: (ask as { crmAskId?: string }).crmAskId, properties: askProperties(ask, outcomeNote, consent) } })),
        (client, inputs) => client.crm.objects.batchApi.update(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: true },
      ),
    ]);
    for (const { outcomes } of [created, updated]) for (const [k, v] of outcomes) out.set(k, v);
    const duplicates = fresh.filter(({ ask }) => {
      const r = out.get(ask.askId);
      return r && 'error' in r && /already has that value|already exists|conflict|duplicate/i.test(r.error);
    });
    if (duplicates.length) {
      const again = await writeInBatches(
        this.ctx,
        'upsert advocacy asks',
        duplicates.map(({ ask, outcomeNote, consent }) => ({ traceId: ask.askId, body: { id: ask.askId, idProperty: 'ask_id', properties: askProperties(ask, outcomeNote, consent) } })),
        (client, inputs) => client.crm.objects.batchApi.upsert(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: true },
      );
      for (const [k, v] of again.outcomes) out.set(k, v);
      if (again.failure) throw again.failure;
    }
    const failure = created.failure ?? updated.failure;
    if (failure && (!(failure instanceof CrmError) || failure.stopsScan || out.size === 0)) throw failure;
    return out;
  }

  /** Below Enterprise: the ask is mirrored as a note on the company (and its contact and deal). */
  private async saveAsksAsNotes(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<Map<string, BatchOutcome>> {
    const byKey = new Map(items.map((i) => [`note:${i.ask.askId}`, i]));
    const existing = await createdObjectIds(this.db, this.portalId, [...byKey.keys()]);
    const known = items.filter((i) => existing.has(`note:${i.ask.askId}`) || (i.ask as { crmAskId?: string | null }).crmAskId);
    const fresh = items.filter((i) => !known.includes(i));
    const out = new Map<string, BatchOutcome>();
    const created = await this.createOnce(
      'notes',
      fresh.map((i) => `note:${i.ask.askId}`),
      (key) => {
        const { ask, outcomeNote, consent } = byKey.get(key)!;
        return this.noteInput(askNoteBody(ask, outcomeNote, consent), ask.proposedAt, ask.accountId, ask.contactId, ask.dealId);
      },
      (client, inputs) => client.crm.objects.notes.batchApi.create({ inputs: inputs as never }),
    );
    for (const [key, v] of created) out.set(key.slice('note:'.length), v);
    if (known.length) {
      const updated = await writeInBatches(
        this.ctx,
        'update ask notes',
        known.map(({ ask, outcomeNote, consent }) => ({
          traceId: ask.askId,
          body: { id: existing.get(`note:${ask.askId}`) ?? (ask as { crmAskId?: string }).crmAskId, properties: { hs_note_body: askNoteBody(ask, outcomeNote, consent) } },
        })),
        (client, inputs) => client.crm.objects.notes.batchApi.update({ inputs: inputs as never }),
        { idempotent: true },
      );
      for (const [k, v] of updated.outcomes) out.set(k, v);
      if (updated.failure && (!(updated.failure instanceof CrmError) || updated.failure.stopsScan || out.size === 0)) throw updated.failure;
    }
    return out;
  }

  private noteInput(body: string, at: string, companyId: string, contactId: string | null, dealId: string | null) {
    return {
      properties: { hs_note_body: body, hs_timestamp: new Date(at).toISOString() },
      associations: [
        { to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.noteToCompany }] },
        ...(contactId ? [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.noteToContact }] }] : []),
        ...(dealId ? [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION.noteToDeal }] }] : []),
      ],
    };
  }

  async recordConsent(consent: Consent): Promise<void> {
    // With the custom object, consent travels on the ask (saveAsk's consent properties).
    if ((await this.askStorage()) !== 'notes') return;
    const key = `consent:${consent.consentId}:${consent.revokedOn ?? 'granted'}`;
    const result = await this.createOnce(
      'notes',
      [key],
      () => this.noteInput(consentNoteBody(consent), `${consent.revokedOn ?? consent.grantedOn}T12:00:00.000Z`, consent.accountId, consent.contactId, null),
      (client, inputs) => client.crm.objects.notes.batchApi.create({ inputs: inputs as never }),
    );
    const r = result.get(key)!;
    if ('error' in r) throw new CrmError('CRM_REJECTED', `HubSpot refused the consent note: ${r.error}`);
  }

  // ---- write-back ----

  async writeBack(updates: ReadinessWriteBack[]): Promise<void> {
    if (updates.length === 0) return;
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
  }
}
