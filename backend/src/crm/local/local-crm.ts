import { randomUUID } from 'node:crypto';
import { parseCheckpoint, type AuditCheckpoint } from '../../store/audit-checkpoint';
import type { Queryable } from '../../store/db';
import { valuesList } from '../../store/sql-values';
import type { AccountPage, AccountSignals, AccountsRead, ChangedAccount, CrmPort, CrmTask, Deal, ReadinessWriteBack } from '../port';
import { accountFromRow, contactFromRow, dealFromRow, npsFromRow, ownerFromRow, type AccountRow, type ContactRow, type DealRow, type NpsRow, type OwnerRow } from './local-rows';

// The embedded default CRM: the same Postgres store (PGlite or a server), one portfolio per
// portal id. Pages by account id (keyset), so a scan never loads the whole portfolio.

export class LocalCrm implements CrmPort {
  readonly kind = 'local' as const;

  constructor(
    private readonly db: Queryable,
    private readonly portalId: string,
  ) {}

  async listAccounts({ cursor, limit }: { cursor: string | null; limit: number }): Promise<AccountPage> {
    const { rows } = await this.db.query<AccountRow>(
      `SELECT * FROM crm_accounts WHERE portal_id = $1 AND ($2::text IS NULL OR account_id > $2) ORDER BY account_id LIMIT $3`,
      [this.portalId, cursor, limit + 1],
    );
    const page = rows.slice(0, limit);
    const items = await this.withDetails(page);
    return { items, nextCursor: rows.length > limit ? page[page.length - 1].account_id : null };
  }

  async countAccounts(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM crm_accounts WHERE portal_id = $1`, [this.portalId]);
    return rows[0].n;
  }

  /**
   * The embedded CRM lives in the store's database: triggers on its tables mark each changed
   * account in refresh_changes (migration 018), which the refresh reads beside asks and
   * consents. So there is nothing more to list here.
   */
  async changedAccountsSince(_since: string): Promise<ChangedAccount[]> {
    return [];
  }

  async getAccount(accountId: string): Promise<AccountSignals | null> {
    const { rows } = await this.db.query<AccountRow>(`SELECT * FROM crm_accounts WHERE portal_id = $1 AND account_id = $2`, [this.portalId, accountId]);
    if (rows.length === 0) return null;
    return (await this.withDetails(rows))[0];
  }

  async getAccounts(accountIds: string[]): Promise<AccountsRead> {
    const ids = [...new Set(accountIds)];
    const out: AccountsRead = new Map(ids.map((id) => [id, null]));
    if (ids.length === 0) return out;
    const { rows } = await this.db.query<AccountRow>(`SELECT * FROM crm_accounts WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY account_id`, [this.portalId, ids]);
    for (const signals of await this.withDetails(rows)) out.set(signals.account.accountId, signals);
    return out;
  }

  async getDeal(dealId: string): Promise<Deal | null> {
    const { rows } = await this.db.query<DealRow>(`SELECT * FROM crm_deals WHERE portal_id = $1 AND deal_id = $2`, [this.portalId, dealId]);
    return rows[0] ? dealFromRow(rows[0]) : null;
  }

  async listClosedDeals({ from, to, cursor, limit }: { from: string; to: string; cursor: string | null; limit: number }): Promise<{ items: Deal[]; nextCursor: string | null }> {
    const { rows } = await this.db.query<DealRow>(
      `SELECT * FROM crm_deals WHERE portal_id = $1 AND stage IN ('won', 'lost') AND close_date >= $2::date AND close_date <= $3::date
         AND ($4::text IS NULL OR deal_id > $4) ORDER BY deal_id LIMIT $5`,
      [this.portalId, from, to, cursor, limit + 1],
    );
    const page = rows.slice(0, limit);
    return { items: page.map(dealFromRow), nextCursor: rows.length > limit ? page[page.length - 1].deal_id : null };
  }

  async createTask(task: CrmTask): Promise<{ taskId: string }> {
    const inserted = await this.db.query<{ task_id: string }>(
      `INSERT INTO crm_tasks (portal_id, task_id, idempotency_key, kind, owner_id, account_id, contact_id, deal_id, subject, body, due_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
       ON CONFLICT (portal_id, idempotency_key) DO NOTHING RETURNING task_id`,
      [this.portalId, `task-${randomUUID()}`, task.idempotencyKey, task.kind, task.ownerId, task.accountId, task.contactId, task.dealId, task.subject, task.body, task.dueOn],
    );
    if (inserted.rows[0]) return { taskId: inserted.rows[0].task_id };
    const existing = await this.db.query<{ task_id: string }>(`SELECT task_id FROM crm_tasks WHERE portal_id = $1 AND idempotency_key = $2`, [this.portalId, task.idempotencyKey]);
    return { taskId: existing.rows[0].task_id };
  }

  async createTasks(tasks: CrmTask[]): Promise<Array<{ taskId: string } | { error: string }>> {
    if (tasks.length === 0) return [];
    const cols = 11;
    await this.db.query(
      `INSERT INTO crm_tasks (portal_id, task_id, idempotency_key, kind, owner_id, account_id, contact_id, deal_id, subject, body, due_on)
       VALUES ${valuesList(tasks.length, cols)} ON CONFLICT (portal_id, idempotency_key) DO NOTHING`,
      tasks.flatMap((t) => [this.portalId, `task-${randomUUID()}`, t.idempotencyKey, t.kind, t.ownerId, t.accountId, t.contactId, t.dealId, t.subject, t.body, t.dueOn]),
    );
    const { rows } = await this.db.query<{ idempotency_key: string; task_id: string }>(
      `SELECT idempotency_key, task_id FROM crm_tasks WHERE portal_id = $1 AND idempotency_key = ANY($2::text[])`,
      [this.portalId, tasks.map((t) => t.idempotencyKey)],
    );
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r.task_id]));
    return tasks.map((t) => ({ taskId: byKey.get(t.idempotencyKey)! }));
  }

  // The store is already the system of record for asks and consents; nothing to mirror.
  async saveAsk(ask: { askId: string }): Promise<{ crmAskId: string | null }> {
    return { crmAskId: ask.askId };
  }

  async recordConsent(): Promise<void> {}

  async writeBack(updates: ReadinessWriteBack[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.query(
      `UPDATE crm_accounts a SET readiness_score = u.score, readiness_band = u.band, advocacy_status = u.status, last_ask_date = u.last_ask
       FROM (SELECT * FROM unnest($2::text[], $3::numeric[], $4::text[], $5::text[], $6::date[]) AS t(account_id, score, band, status, last_ask)) u
       WHERE a.portal_id = $1 AND a.account_id = u.account_id`,
      [
        this.portalId,
        updates.map((u) => u.accountId),
        updates.map((u) => u.readinessScore),
        updates.map((u) => u.band),
        updates.map((u) => u.advocacyStatus),
        updates.map((u) => u.lastAskDate),
      ],
    );
  }

  async accountIdOfContact(contactId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ account_id: string }>(`SELECT account_id FROM crm_contacts WHERE portal_id = $1 AND contact_id = $2`, [this.portalId, contactId]);
    return rows[0]?.account_id ?? null;
  }

  // The local CRM's copy of the audit checkpoints: a table of its own, beside the anchor file.
  async saveAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await this.db.query(`INSERT INTO crm_audit_checkpoints (portal_id, seq, checkpoint) VALUES ($1, $2, $3) ON CONFLICT (portal_id, seq) DO NOTHING`, [this.portalId, checkpoint.seq, JSON.stringify(checkpoint)]);
  }

  async latestAuditCheckpoint(): Promise<AuditCheckpoint | null> {
    const { rows } = await this.db.query<{ checkpoint: unknown }>(`SELECT checkpoint FROM crm_audit_checkpoints WHERE portal_id = $1 ORDER BY seq DESC LIMIT 1`, [this.portalId]);
    return rows[0] ? parseCheckpoint(rows[0].checkpoint) : null;
  }

  private async withDetails(rows: AccountRow[]): Promise<AccountSignals[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.account_id);
    const ownerIds = [...new Set(rows.map((r) => r.owner_id).filter((o): o is string => !!o))];
    const [health, contacts, nps, owners] = await Promise.all([
      this.db.query<{ account_id: string; date: string; score: number }>(
        `SELECT account_id, date, score FROM crm_health_history WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY date`,
        [this.portalId, ids],
      ),
      this.db.query<ContactRow>(`SELECT * FROM crm_contacts WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY contact_id`, [this.portalId, ids]),
      this.db.query<NpsRow>(`SELECT * FROM crm_nps_responses WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY date`, [this.portalId, ids]),
      this.db.query<OwnerRow>(`SELECT * FROM crm_owners WHERE portal_id = $1 AND owner_id = ANY($2::text[])`, [this.portalId, ownerIds]),
    ]);
    const group = <T extends { account_id: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of list) (m.get(r.account_id) ?? m.set(r.account_id, []).get(r.account_id)!).push(r);
      return m;
    };
    const h = group(health.rows);
    const c = group(contacts.rows);
    const n = group(nps.rows);
    const o = new Map(owners.rows.map((r) => [r.owner_id, ownerFromRow(r)]));
    return rows.map((r) => ({
      account: accountFromRow(r, (h.get(r.account_id) ?? []).map((p) => ({ date: p.date, score: p.score }))),
      contacts: (c.get(r.account_id) ?? []).map(contactFromRow),
      npsResponses: (n.get(r.account_id) ?? []).map(npsFromRow),
      owner: r.owner_id ? o.get(r.owner_id) ?? null : null,
    }));
  }
}
