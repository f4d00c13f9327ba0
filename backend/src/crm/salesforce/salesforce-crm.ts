import type { Connection } from 'jsforce';
import type { Ask, Consent } from '../../domain/types';
import { isIsoDate } from '../../domain/calendar';
import { decodeCheckpoint, encodeCheckpoint, type AuditCheckpoint } from '../../store/audit-checkpoint';
import { createOnceWithClaims, refusedOutright, type CreateOutcome } from '../create-once';
import { CrmError } from '../errors';
import type { Queryable } from '../../store/db';
import type { AccountPage, AccountSignals, AccountsRead, ChangedAccount, CrmPort, CrmTask, Deal, ReadinessWriteBack, WrittenBack } from '../port';
import { plainLine, plainText } from '../field-encoding';
import { callSalesforce, defaultCallPolicy, type CallPolicy } from './call-salesforce';
import { defaultFieldMap, type SalesforceFieldMap } from './field-map';
import { toAccountSignals, type SfRecord } from './map-account';
import { changedAccountsSince, modstampsOf, type PageReader } from './read-changes';
import { accountsSoql, sfId, SF_ID_SHAPE } from './soql';

// The Salesforce adapter, on jsforce. Reads the portfolio a query page at a time (the cursor
// is Salesforce's nextRecordsUrl, safe to keep as a scan checkpoint), writes in sObject
// collections of at most 200, and keeps a reserve of the org's daily API limit for the
// customer's other integrations.

export interface SalesforceOptions {
  /**
   * Where Task creates are claimed and their ids kept (crm/create-once), and the portal they
   * belong to. Without it (tools, some tests) Tasks are created with their key but unclaimed.
   */
  createOnce?: { db: Queryable; portalId: string };
  fieldMap?: SalesforceFieldMap;
  policy?: CallPolicy;
  /** Share of the org's daily API limit left untouched for other integrations (default 25%). */
  reserveShare?: number;
}

interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SfRecord[];
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; message?: string }>;
}

export const COLLECTION_SIZE = 200;
/** The Task field holding our idempotency key (objects/: Activity.Advocacy_Key__c, an external id). */
export const TASK_KEY_FIELD = 'Advocacy_Key__c';
/** Keys per lookup query: keeps the SOQL well under the URL and statement limits. */
const KEYS_PER_QUERY = 100;
/** Ids per `Id IN (...)` query: 200 quoted ids keep the GET query URL far under its 16,384-byte limit. */
export const IDS_PER_QUERY = 200;
const CHECKPOINT_SUBJECT = 'Advocacy Loop audit checkpoint';

// jsforce retries 5xx and network errors itself (5 times, 0.5 s doubling); ours is the one
// retry layer (bounded, injectable clock, mapped to the port's errors), so jsforce's is off.
const NO_JSFORCE_RETRY = { retry: { maxRetries: 0 } } as never;

export class SalesforceCrm implements CrmPort {
  readonly kind = 'salesforce' as const;
  private readonly map: SalesforceFieldMap;
  private readonly policy: CallPolicy;
  private readonly reserveShare: number;
  private readonly claims: SalesforceOptions['createOnce'] | null;
    /** Calls made, for the benchmark and the logs. */
  calls = 0;

  constructor(
    private readonly conn: Connection,
    options: SalesforceOptions = {},
  ) {
    this.map = options.fieldMap ?? defaultFieldMap();
    this.policy = options.policy ?? defaultCallPolicy();
    this.reserveShare = options.reserveShare ?? 0.25;
    this.claims = options.createOnce ?? null;
  }

  /**
   * One scan page: as many query pages (at most 2,000 records each) as fill `limit`. Bigger
   * scan pages fill the write collections better (fewer part-empty calls of 200).
   */
  async listAccounts({ cursor, limit }: { cursor: string | null; limit: number }): Promise<AccountPage> {
    const batchSize = Math.max(200, Math.min(2000, limit));
    const headers = { 'Sforce-Query-Options': `batchSize=${batchSize}` };
    const items: AccountSignals[] = [];
    let url: string | null = cursor ?? `/query?q=${encodeURIComponent(accountsSoql(this.map))}`;
    while (url && items.length < limit) {
      const at: string = url;
      const page = await this.call<QueryResult>('query accounts', () => this.conn.request<QueryResult>({ method: 'GET', url: at, headers }, NO_JSFORCE_RETRY));
      if (!page.done && !page.nextRecordsUrl) throw new CrmError('CRM_REJECTED', 'Salesforce said more records follow but gave no nextRecordsUrl; refusing to stop short');
      for (const r of page.records) items.push(toAccountSignals(r, await this.contactsOf(r), this.map));
      url = page.done ? null : page.nextRecordsUrl!;
    }
    return { items, nextCursor: url };
  }

  get fieldMap(): SalesforceFieldMap {
    return this.map;
  }

  /** The jsforce connection (for the Change Data Capture subscriber). */
  get connection(): Connection {
    return this.conn;
  }

  async getAccount(accountId: string): Promise<AccountSignals | null> {
    const soql = accountsSoql(this.map, `Id = '${sfId(accountId)}'`);
    const page = await this.call<QueryResult>('query account', () => this.conn.request<QueryResult>(`/query?q=${encodeURIComponent(soql)}`, NO_JSFORCE_RETRY));
    const r = page.records[0];
    return r ? toAccountSignals(r, await this.contactsOf(r), this.map) : null;
  }

  /**
   * One SOQL `Id IN (...)` query per 200 ids (following its pages), contacts in the same query.
   * A query that fails fails only its own ids; an id that cannot be a Salesforce id names no account.
   */
  async getAccounts(accountIds: string[]): Promise<AccountsRead> {
    const ids = [...new Set(accountIds)];
    const out: AccountsRead = new Map(ids.map((id) => [id, null]));
    const valid = ids.filter((id) => SF_ID_SHAPE.test(id));
    const parts: string[][] = [];
    for (let i = 0; i < valid.length; i += IDS_PER_QUERY) parts.push(valid.slice(i, i + IDS_PER_QUERY));
    // 15- and 18-character ids name the same record; Salesforce answers with the 18-character one.
    const asked = (id: string) => ids.find((x) => x === id) ?? ids.find((x) => x.length === 15 && id.startsWith(x)) ?? null;
    for (const part of parts) {
      try {
        let url: string | null = `/query?q=${encodeURIComponent(accountsSoql(this.map, `Id IN (${part.map((id) => `'${sfId(id)}'`).join(', ')})`))}`;
        while (url) {
          const at: string = url;
          const page = await this.call<QueryResult>('query accounts by id', () => this.conn.request<QueryResult>(at, NO_JSFORCE_RETRY));
          for (const r of page.records) {
            const id = asked(String(r.Id));
            if (id) out.set(id, toAccountSignals(r, await this.contactsOf(r), this.map));
          }
          url = page.done ? null : page.nextRecordsUrl ?? null;
        }
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        if (error.stopsScan) throw error;
        // Ids already read from an earlier page of this query keep their answer.
        for (const id of part) if (out.get(id) === null) out.set(id, error);
      }
    }
    return out;
  }

  async accountIdOfContact(contactId: string): Promise<string | null> {
    const soql = `SELECT AccountId FROM Contact WHERE Id = '${sfId(contactId)}'`;
    const page = await this.call<QueryResult>('query contact', () => this.conn.request<QueryResult>(`/query?q=${encodeURIComponent(soql)}`, NO_JSFORCE_RETRY));
    return (page.records[0]?.AccountId as string | undefined) ?? null;
  }

  async getDeal(dealId: string): Promise<Deal | null> {
    const soql = `SELECT ${this.opportunityFields().join(', ')} FROM Opportunity WHERE Id = '${sfId(dealId)}'`;
    const page = await this.call<QueryResult>('query opportunity', () => this.conn.request<QueryResult>(`/query?q=${encodeURIComponent(soql)}`, NO_JSFORCE_RETRY));
    const r = page.records[0];
    return r ? this.toDeal(r) : null;
  }

  /** Closed Opportunities in a date range, a query page (up to 2,000) at a time. */
  async listClosedDeals({ from, to, cursor, limit }: { from: string; to: string; cursor: string | null; limit: number }): Promise<{ items: Deal[]; nextCursor: string | null }> {
    if (!isIsoDate(from) || !isIsoDate(to)) throw new CrmError('CRM_REJECTED', `closed deals need dates as YYYY-MM-DD, got ${from} and ${to}`);
    const soql = `SELECT ${this.opportunityFields().join(', ')} FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${from} AND CloseDate <= ${to} ORDER BY Id`;
    const headers = { 'Sforce-Query-Options': `batchSize=${Math.max(200, Math.min(2000, limit))}` };
    const url = cursor ?? `/query?q=${encodeURIComponent(soql)}`;
    const page = await this.call<QueryResult>('query opportunities', () => this.conn.request<QueryResult>({ method: 'GET', url, headers }, NO_JSFORCE_RETRY));
    if (!page.done && !page.nextRecordsUrl) throw new CrmError('CRM_REJECTED', 'Salesforce said more records follow but gave no nextRecordsUrl; refusing to stop short');
    return { items: page.records.map((r) => this.toDeal(r)), nextCursor: page.done ? null : page.nextRecordsUrl! };
  }

  private opportunityFields(): string[] {
    const a = this.map.account;
    return ['Id', 'Name', 'AccountId', 'OwnerId', 'Amount', 'IsClosed', 'IsWon', 'CloseDate', ...[a.industry, a.region, a.sizeBand].filter(Boolean).map((f) => `Account.${f}`)];
  }

  private toDeal(record: SfRecord): Deal {
    const a = this.map.account;
    const r = record as SfRecord & { Account?: Record<string, unknown> };
    const acc = r.Account ?? {};
    const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      dealId: r.Id,
      name: String(r.Name ?? r.Id),
      accountId: text(r.AccountId),
      ownerId: text(r.OwnerId),
      amount: typeof r.Amount === 'number' ? r.Amount : null,
      stage: r.IsClosed ? (r.IsWon ? 'won' : 'lost') : 'open',
      closeDate: text(r.CloseDate),
      industry: a.industry ? text(acc[a.industry]) : null,
      region: a.region ? text(acc[a.region]) : null,
      sizeBand: a.sizeBand ? text(acc[a.sizeBand]) : null,
      products: [],
    };
  }

  async createTask(task: CrmTask): Promise<{ taskId: string }> {
    const [result] = await this.createTasks([task]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `Salesforce refused the task: ${result.error}`);
    return result;
  }

  /**
   * Each Task carries its key (Advocacy_Key__c). With the store: the keys are claimed before the
   * create, each Task's id is stored as its collection answers, and a key a crashed attempt left
   * unconfirmed is first looked up by that field, so no second Task is made (crm/create-once).
   * Not an upsert by the key: that would overwrite what the CSM changed on a Task already there.
   */
  async createTasks(tasks: CrmTask[]): Promise<Array<{ taskId: string } | { error: string }>> {
    const toResult = (r: SaveResult): { taskId: string } | { error: string } => (r.success && r.id ? { taskId: r.id } : { error: (r.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'refused' });
    if (!this.claims) return (await this.saveCollection('POST', '/composite/sobjects', tasks.map((t) => this.taskRecord(t)))).map(toResult);
    const byKey = new Map(tasks.map((t) => [t.idempotencyKey, t]));
    const { outcomes, failure, created, known } = await createOnceWithClaims(this.claims.db, this.claims.portalId, 'Task', [...byKey.keys()], {
      lookup: (keys) => this.tasksByKey(keys),
      create: async (keys, onAnswer) => {
        try {
          await this.saveCollection('POST', '/composite/sobjects', keys.map((k) => this.taskRecord(byKey.get(k)!)), (answered) =>
            onAnswer(answered.map(([i, r]): [string, CreateOutcome] => {
              const res = toResult(r);
              return [keys[i], 'taskId' in res ? { id: res.taskId } : res];
            })),
          );
        } catch (error) {
          // Refused outright (a 4xx, the daily limit, the reserve): nothing was made, the keys are free.
          if (refusedOutright(error)) await onAnswer(keys.map((k) => [k, { error: (error as Error).message }]));
          throw error;
        }
      },
    });
    if (failure && ((failure instanceof CrmError && failure.stopsScan) || created + known === 0)) throw failure;
    return tasks.map((t) => {
      const r = outcomes.get(t.idempotencyKey)!;
      return 'id' in r ? { taskId: r.id } : r;
    });
  }

  private taskRecord(t: CrmTask): Record<string, unknown> {
    return {
      attributes: { type: 'Task' },
      OwnerId: t.ownerId,
      WhatId: t.dealId ?? t.accountId,
      ...(t.contactId ? { WhoId: t.contactId } : {}),
      // Both are plain text in Salesforce (shown as typed, never as markup): controls removed only.
      Subject: plainLine(t.subject, 255),
      Description: plainText(`${t.body}\n\n[advocacy-loop ${t.idempotencyKey}]`, 32_000),
      ActivityDate: t.dueOn,
      Status: 'Not Started',
      Priority: t.kind === 'handoff' ? 'High' : 'Normal',
      [TASK_KEY_FIELD]: t.idempotencyKey,
    };
  }

  /** Tasks an earlier attempt made, by their key (SOQL is consistent at once; the field is indexed). */
  private async tasksByKey(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const list = keys.slice(i, i + KEYS_PER_QUERY).map(soqlString).join(', ');
      // Oldest first: were there ever two, the first one made is the one kept.
      const soql = `SELECT Id, ${TASK_KEY_FIELD} FROM Task WHERE ${TASK_KEY_FIELD} IN (${list}) ORDER BY CreatedDate ASC`;
      const page = await this.call<QueryResult>('query tasks by key', () => this.conn.request<QueryResult>(`/query?q=${encodeURIComponent(soql)}`, NO_JSFORCE_RETRY));
      for (const r of page.records) {
        const key = String((r as Record<string, unknown>)[TASK_KEY_FIELD] ?? '');
        if (key && !found.has(key)) found.set(key, r.Id);
      }
    }
    return found;
  }

  async saveAsk(ask: Ask, extra: { outcomeNote?: string | null; consent?: Consent | null } = {}): Promise<{ crmAskId: string | null }> {
    const [result] = await this.saveAsks([{ ask, ...extra }]);
    if ('error' in result) throw new CrmError('CRM_REJECTED', `Salesforce refused ask ${ask.askId}: ${result.error}`);
    return result;
  }

  /** Upserts asks by their external id, 200 per call; a record that failed is retried once. */
  async saveAsks(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<Array<{ crmAskId: string | null } | { error: string }>> {
    const results = await this.upsertAsks(items);
    return results.map((r) => (r.success ? { crmAskId: r.id ?? null } : { error: (r.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'refused' }));
  }

  private async upsertAsks(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<SaveResult[]> {
    const records = items.map(({ ask, outcomeNote, consent }) => ({
      attributes: { type: 'Advocacy_Ask__c' },
      Ask_Id__c: ask.askId,
      Name: `${ask.askType} - ${ask.askId}`.slice(0, 80),
      Ask_Type__c: ask.askType,
      Status__c: ask.status,
      Account__c: ask.accountId,
      Contact__c: ask.contactId,
      Opportunity__c: ask.dealId,
      Proposed_Date__c: ask.proposedAt.slice(0, 10),
      Sent_Date__c: ask.sentAt?.slice(0, 10) ?? null,
      Outcome_Date__c: (ask.completedAt ?? ask.declinedAt ?? ask.noResponseAt ?? ask.cancelledAt ?? ask.acceptedAt)?.slice(0, 10) ?? null,
      Outcome__c: outcomeNote ?? null,
      ...(consent ? { Consent_Scope__c: consent.scope, Consent_Evidence__c: consent.evidence, Consent_Date__c: consent.grantedOn, Consent_Expires__c: consent.expiresOn } : {}),
    }));
    return this.saveCollection('PATCH', '/composite/sobjects/Advocacy_Ask__c/Ask_Id__c', records);
  }

  async recordConsent(): Promise<void> {
    // Consent travels with the ask (saveAsk's consent fields): one write, not two.
  }

  /**
   * Readiness to the Accounts, in collections of 200; answers Salesforce's SystemModstamp of each
   * Account written, read back right after its collection (read-changes: how the next refresh
   * tells this write from someone else's). A failed read-back loses only those times: the next
   * refresh then re-reads those Accounts.
   */
  async writeBack(updates: ReadinessWriteBack[]): Promise<WrittenBack[]> {
    const records = updates.map((u) => ({
      attributes: { type: 'Account' },
      id: u.accountId,
      Advocacy_Readiness_Score__c: u.readinessScore,
      Advocacy_Readiness_Band__c: u.band,
      Advocacy_Status__c: u.advocacyStatus,
      Advocacy_Last_Ask_Date__c: u.lastAskDate,
    }));
    const written: WrittenBack[] = [];
    const results = await this.saveCollection('PATCH', '/composite/sobjects', records, async (answered) => {
      const ok = answered.filter(([, r]) => r.success).map(([k]) => updates[k].accountId);
      try {
        written.push(...(await modstampsOf(this.queryPage, ok)));
      } catch (error) {
        if (!(error instanceof CrmError) || error.stopsScan) throw error;
      }
    });
    const failed = results.filter((r) => !r.success);
    if (failed.length) throw new CrmError('CRM_REJECTED', `Salesforce refused ${failed.length} of ${records.length} account updates`, { failed: failed.map((f) => f.errors) });
    return written;
  }

  /** Sends records in collections of 200; records that failed are sent again once. */
  private async saveCollection(
    method: 'POST' | 'PATCH',
    path: string,
    records: Array<Record<string, unknown>>,
    /** Awaited after each collection answers, with the records whose result is final (index, result). */
    onChunk?: (answered: Array<[number, SaveResult]>) => Promise<void>,
  ): Promise<SaveResult[]> {
    const results: SaveResult[] = new Array(records.length);
    let pending = records.map((_, i) => i);
    for (let round = 0; round < 2 && pending.length; round++) {
      const retry: number[] = [];
      for (let i = 0; i < pending.length; i += COLLECTION_SIZE) {
        const chunk = pending.slice(i, i + COLLECTION_SIZE);
        const body = JSON.stringify({ allOrNone: false, records: chunk.map((k) => records[k]) });
        // A POST creates: sent once (see callSalesforce). PATCH updates or upserts by key: safe to resend.
        const answer = await this.call<SaveResult[]>(
          `${method} ${path}`,
          () => this.conn.request<SaveResult[]>({ method, url: path, body, headers: { 'content-type': 'application/json' } }, NO_JSFORCE_RETRY),
          { once: method === 'POST' },
        );
        const final: Array<[number, SaveResult]> = [];
        answer.forEach((r, j) => {
          results[chunk[j]] = r;
          // Another record's failure rolls nothing back (allOrNone false); only retryable failures go again.
          if (round === 0 && !r.success && (r.errors ?? []).some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW' || e.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK')) retry.push(chunk[j]);
          else final.push([chunk[j], r]);
        });
        await onChunk?.(final);
      }
      pending = retry;
    }
    return results;
  }

  private async contactsOf(r: SfRecord): Promise<SfRecord[]> {
    const sub = r.Contacts as QueryResult | null | undefined;
    if (!sub) return [];
    const all = [...sub.records];
    let next = sub.done ? null : sub.nextRecordsUrl ?? null;
    while (next) {
      const page = await this.call<QueryResult>('query contacts', () => this.conn.request<QueryResult>(next!, NO_JSFORCE_RETRY));
      all.push(...page.records);
      next = page.done ? null : page.nextRecordsUrl ?? null;
    }
    return all;
  }

  // ---- audit checkpoints ----
  // Each checkpoint is a completed Task owned by the integration user, related to no record:
  // it lives in the org, outside our database, and a query finds the newest.

  async saveAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    const record = {
      Subject: CHECKPOINT_SUBJECT,
      Status: 'Completed',
      Priority: 'Normal',
      ActivityDate: checkpoint.at.slice(0, 10),
      Description: `The audit log of ${checkpoint.portalId} had ${checkpoint.seq} entries at ${checkpoint.at}. Keep this task; advocacy log --verify checks the log against it.\n${encodeCheckpoint(checkpoint)}`,
    };
    const result = await this.call<SaveResult>('create audit checkpoint task', () => this.conn.request<SaveResult>({ method: 'POST', url: '/sobjects/Task', body: JSON.stringify(record), headers: { 'Content-Type': 'application/json' } }, NO_JSFORCE_RETRY));
    if (!result.success) throw new CrmError('CRM_REJECTED', `Salesforce refused the audit checkpoint: ${result.errors?.map((e) => e.message).join('; ') ?? 'no reason given'}`);
  }

  async latestAuditCheckpoint(): Promise<AuditCheckpoint | null> {
    const soql = `SELECT Description FROM Task WHERE Subject = '${CHECKPOINT_SUBJECT}' ORDER BY CreatedDate DESC LIMIT 10`;
    const page = await this.call<QueryResult>('query audit checkpoints', () => this.conn.request<QueryResult>(`/query?q=${encodeURIComponent(soql)}`, NO_JSFORCE_RETRY));
    let best: AuditCheckpoint | null = null;
    for (const r of page.records) {
      const lines = String((r as Record<string, unknown>).Description ?? '').trim().split(/\s+/);
      const checkpoint = decodeCheckpoint(lines[lines.length - 1] ?? '');
      if (checkpoint && (!best || checkpoint.seq > best.seq)) best = checkpoint;
    }
    return best;
  }

  // ---- changes, for the incremental daily refresh ----

  /** Accounts and contacts modified since `since`, in Id order and paged (read-changes). */
  changedAccountsSince(since: string): Promise<ChangedAccount[]> {
    return changedAccountsSince(this.queryPage, since);
  }

  private readonly queryPage: PageReader = (what, url) =>
    this.call<QueryResult>(what, () => this.conn.request<QueryResult>({ method: 'GET', url, headers: { 'Sforce-Query-Options': 'batchSize=2000' } }, NO_JSFORCE_RETRY));

  // ---- deletions ----

  /** Salesforce's deleted-records list for Contact (getDeleted: 30 days back at most, to the minute). */
  async listDeletedContacts({ from, to }: { from: string; to: string }): Promise<{ contactIds: string[]; coveredUntil: string }> {
    const at = (iso: string) => `${iso.slice(0, 19)}+00:00`;
    const url = `/sobjects/Contact/deleted/?start=${encodeURIComponent(at(from))}&end=${encodeURIComponent(at(to))}`;
    const res = await this.call<{ deletedRecords?: Array<{ id: string }>; latestDateCovered?: string }>('read deleted contacts', () => this.conn.request(url, NO_JSFORCE_RETRY));
    // Salesforce writes offsets as +0000; Date wants +00:00.
    const covered = res.latestDateCovered ? new Date(res.latestDateCovered.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : null;
    return { contactIds: (res.deletedRecords ?? []).map((r) => r.id), coveredUntil: covered && !Number.isNaN(covered.getTime()) ? covered.toISOString() : to };
  }

  private async call<T>(what: string, run: () => Promise<T>, options: { once?: boolean } = {}): Promise<T> {
    const usage = (this.conn.limitInfo as { apiUsage?: { used: number; limit: number } })?.apiUsage;
    if (usage && usage.limit > 0 && usage.used >= usage.limit * (1 - this.reserveShare)) {
      throw new CrmError('CRM_DAILY_LIMIT', `stopping at ${usage.used}/${usage.limit} API calls today: ${Math.round(this.reserveShare * 100)}% of the org's limit stays for its other integrations`, { policy: 'RESERVE' });
    }
    this.calls++;
    return callSalesforce(what, this.policy, run, options);
  }
}

/** A SOQL string literal: backslashes and quotes escaped, as SOQL requires. */
const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
