import type { Notice, NoticeKind, NoticeRecipient } from '../domain/notices';
import type { Queryable } from './db';

// Notices to CSMs: recorded with the decision (ON CONFLICT on the key: raised once), claimed by
// one sender at a time (FOR UPDATE SKIP LOCKED, a lease), and settled as sent, digested (past
// the daily cap), suppressed (opted out) or failed (after the last attempt, with the error).

export type NotificationStatus = 'pending' | 'sent' | 'digested' | 'suppressed' | 'failed';

export interface StoredNotification {
  key: string;
  kind: NoticeKind;
  ownerId: string;
  ownerEmail: string | null;
  accountId: string | null;
  askId: string | null;
  status: NotificationStatus;
  reason: string | null;
  attempts: number;
  lastError: string | null;
  deliveredVia: string | null;
  deliveredTo: string | null;
  messageRef: string | null;
  sentAt: string | null;
  createdAt: string;
  notice: Notice;
  /** What was done from the message (mark sent, snooze...), shown when the message is updated. */
  actionState: Record<string, unknown> | null;
}

type Row = {
  notice_key: string; kind: NoticeKind; owner_id: string; owner_email: string | null; account_id: string | null; ask_id: string | null; status: NotificationStatus; reason: string | null;
  attempts: number; last_error: string | null; delivered_via: string | null; delivered_to: string | null; message_ref: string | null; sent_at: string | Date | null; created_at: string | Date; notice: Notice; action_state: Record<string, unknown> | null;
};
const COLS = 'notice_key, kind, owner_id, owner_email, account_id, ask_id, status, reason, attempts, last_error, delivered_via, delivered_to, message_ref, sent_at, created_at, notice, action_state';
const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const toStored = (r: Row): StoredNotification => ({
  key: r.notice_key, kind: r.kind, ownerId: r.owner_id, ownerEmail: r.owner_email, accountId: r.account_id, askId: r.ask_id, status: r.status, reason: r.reason, attempts: r.attempts, lastError: r.last_error,
  deliveredVia: r.delivered_via, deliveredTo: r.delivered_to, messageRef: r.message_ref, sentAt: iso(r.sent_at), createdAt: iso(r.created_at)!, notice: r.notice, actionState: r.action_state,
});

/** Records notices; a key already recorded is left alone. Returns the keys that were new. */
export async function enqueueNotices(db: Queryable, portalId: string, notices: Notice[]): Promise<string[]> {
  const added: string[] = [];
  for (const n of notices) {
    const { rows } = await db.query<{ notice_key: string }>(
      `INSERT INTO notifications (portal_id, notice_key, kind, owner_id, owner_email, account_id, ask_id, contact_id, day, notice, not_before)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (portal_id, notice_key) DO NOTHING RETURNING notice_key`,
      [portalId, n.key, n.kind, n.recipient.ownerId, n.recipient.email?.toLowerCase() ?? null, n.accountId, n.askId, n.contactId, n.day, JSON.stringify(n), n.notBefore ?? null],
    );
    if (rows.length) added.push(rows[0].notice_key);
  }
  return added;
}

/** Pending notices due now (not waiting out quiet hours), oldest first, claimed for the lease. */
export async function claimDueNotices(db: Queryable, portalId: string, limit: number, claim: { by: string; leaseMs: number }, now: string): Promise<StoredNotification[]> {
  const { rows } = await db.query<Row>(
    // MATERIALIZED: picked once. As a subquery in FROM the planner may rescan it per row, and
    // each rescan skips nothing it already locked, so one claim could take far past its limit.
    `WITH c AS MATERIALIZED (SELECT notice_key FROM notifications
              WHERE portal_id = $1 AND status = 'pending' AND (not_before IS NULL OR not_before <= $5)
                AND (claimed_until IS NULL OR claimed_until < clock_timestamp() OR claimed_by = $3)
              ORDER BY created_at, notice_key LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE notifications n SET claimed_by = $3, claimed_until = clock_timestamp() + make_interval(secs => $4::float8 / 1000)
       FROM c
      WHERE n.portal_id = $1 AND n.notice_key = c.notice_key
      RETURNING ${COLS.split(', ').map((c) => `n.${c}`).join(', ')}`,
    [portalId, limit, claim.by, claim.leaseMs, now],
  );
  return rows.map(toStored).sort((a, b) => (a.createdAt === b.createdAt ? a.key.localeCompare(b.key) : a.createdAt < b.createdAt ? -1 : 1));
}

const byClaim = `AND status = 'pending' AND ($3::text IS NULL OR claimed_by = $3)`;

export async function markNoticeSent(db: Queryable, portalId: string, key: string, claimedBy: string | null, delivery: { via: string; to: string | null; ref: string | null; deliveredOn: string; at: string }): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE notifications SET status = 'sent', reserved_on = NULL, delivered_via = $4, delivered_to = $5, message_ref = $6, delivered_on = $7, sent_at = $8, last_error = NULL, claimed_by = NULL, claimed_until = NULL
      WHERE portal_id = $1 AND notice_key = $2 ${byClaim} RETURNING notice_key`,
    [portalId, key, claimedBy, delivery.via, delivery.to, delivery.ref, delivery.deliveredOn, delivery.at],
  );
  return rows.length === 1;
}

/** Digested (past the cap), suppressed (opted out): settled without a message of its own. */
export async function settleNotice(db: Queryable, portalId: string, key: string, claimedBy: string | null, status: 'digested' | 'suppressed', reason: string): Promise<void> {
  await db.query(`UPDATE notifications SET status = $4, reason = $5, reserved_on = NULL, claimed_by = NULL, claimed_until = NULL WHERE portal_id = $1 AND notice_key = $2 ${byClaim}`, [portalId, key, claimedBy, status, reason]);
}

/** Waits (quiet hours) until `notBefore`. */
export async function deferNotice(db: Queryable, portalId: string, key: string, claimedBy: string | null, notBefore: string, reason: string): Promise<void> {
  await db.query(`UPDATE notifications SET not_before = $4, reason = $5, claimed_by = NULL, claimed_until = NULL WHERE portal_id = $1 AND notice_key = $2 ${byClaim}`, [portalId, key, claimedBy, notBefore, reason]);
}

export async function failNotice(db: Queryable, portalId: string, key: string, claimedBy: string | null, error: string, giveUp: boolean): Promise<void> {
  await db.query(
    `UPDATE notifications SET attempts = attempts + 1, reserved_on = NULL, last_error = $4, status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END, claimed_by = NULL, claimed_until = NULL
      WHERE portal_id = $1 AND notice_key = $2 ${byClaim}`,
    [portalId, key, claimedBy, error.slice(0, 500), giveUp],
  );
}

export async function releaseNoticeClaims(db: Queryable, portalId: string, claimedBy: string): Promise<void> {
  await db.query(`UPDATE notifications SET claimed_by = NULL, claimed_until = NULL, reserved_on = NULL WHERE portal_id = $1 AND claimed_by = $2 AND status = 'pending'`, [portalId, claimedBy]);
}

/**
 * Serializes the cap decisions for one owner's local day until the transaction ends: two
 * senders counting the same CSM's day at once would both see a free slot. (PGlite has one
 * connection, so its transactions are serialized anyway; the lock is the same statement.)
 */
export async function lockOwnerDay(db: Queryable, portalId: string, ownerId: string, day: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`notice-cap|${portalId}|${ownerId}|${day}`]);
}

/** An owner's slots taken on a local day: capped notices sent that day, and those other notices hold reserved. */
export async function takenOnDay(db: Queryable, portalId: string, ownerId: string, day: string, exceptKey: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM notifications
      WHERE portal_id = $1 AND owner_id = $2 AND kind NOT IN ('daily_digest', 'weekly_digest')
        AND ((status = 'sent' AND delivered_on = $3) OR (status = 'pending' AND reserved_on = $3 AND notice_key <> $4))`,
    [portalId, ownerId, day, exceptKey],
  );
  return Number(rows[0].n);
}

/** Holds one of the owner's slots for the day for this claimed notice; false when the claim was lost. */
export async function reserveSlot(db: Queryable, portalId: string, key: string, claimedBy: string | null, day: string): Promise<boolean> {
  const { rows } = await db.query(`UPDATE notifications SET reserved_on = $4 WHERE portal_id = $1 AND notice_key = $2 ${byClaim} RETURNING notice_key`, [portalId, key, claimedBy, day]);
  return rows.length === 1;
}

/** The notices waiting for each owner's daily digest (past the cap, not in a digest yet). */
export async function awaitingDigest(db: Queryable, portalId: string): Promise<Array<{ recipient: NoticeRecipient; keys: string[]; titles: string[] }>> {
  const { rows } = await db.query<{ notice_key: string; notice: Notice }>(
    `SELECT notice_key, notice FROM notifications WHERE portal_id = $1 AND status = 'digested' AND digest_key IS NULL ORDER BY owner_id, created_at, notice_key`,
    [portalId],
  );
  const byOwner = new Map<string, { recipient: NoticeRecipient; keys: string[]; titles: string[] }>();
  for (const r of rows) {
    const o = byOwner.get(r.notice.recipient.ownerId) ?? byOwner.set(r.notice.recipient.ownerId, { recipient: r.notice.recipient, keys: [], titles: [] }).get(r.notice.recipient.ownerId)!;
    o.keys.push(r.notice_key);
    o.titles.push(r.notice.title);
  }
  return [...byOwner.values()];
}

export async function attachToDigest(db: Queryable, portalId: string, keys: string[], digestKey: string): Promise<void> {
  await db.query(`UPDATE notifications SET digest_key = $3 WHERE portal_id = $1 AND notice_key = ANY($2::text[]) AND digest_key IS NULL`, [portalId, keys, digestKey]);
}

/** Each owner notified in the window, with the asks of those notices still open by status (the weekly digest). */
export async function weeklyFigures(db: Queryable, portalId: string, since: string): Promise<Array<{ recipient: NoticeRecipient; proposed: number; sent: number; accepted: number; referenceRequests: number; lines: string[] }>> {
  const { rows } = await db.query<{ owner_id: string; notice: Notice; status: string | null; deal_id: string | null }>(
    `SELECT DISTINCT ON (n.owner_id, COALESCE(n.ask_id, n.notice_key)) n.owner_id, n.notice, a.status, a.deal_id
       FROM notifications n LEFT JOIN asks a ON a.portal_id = n.portal_id AND a.ask_id = n.ask_id
      WHERE n.portal_id = $1 AND n.created_at >= $2 AND n.kind NOT IN ('daily_digest', 'weekly_digest')
      ORDER BY n.owner_id, COALESCE(n.ask_id, n.notice_key), n.created_at DESC`,
    [portalId, since],
  );
  const out = new Map<string, { recipient: NoticeRecipient; proposed: number; sent: number; accepted: number; referenceRequests: number; lines: string[] }>();
  for (const r of rows) {
    const o = out.get(r.owner_id) ?? out.set(r.owner_id, { recipient: r.notice.recipient, proposed: 0, sent: 0, accepted: 0, referenceRequests: 0, lines: [] }).get(r.owner_id)!;
    if (r.notice.recipient.email && !o.recipient.email) o.recipient = r.notice.recipient;
    if (r.status === 'proposed' || r.status === 'sent' || r.status === 'accepted') {
      if (r.deal_id) o.referenceRequests++;
      else o[r.status]++;
      if (o.lines.length < 15) o.lines.push(`${r.notice.title} (${r.status})`);
    }
  }
  return [...out.values()];
}

export async function listNotifications(db: Queryable, portalId: string, filter: { status?: NotificationStatus; ownerId?: string; askId?: string; limit?: number } = {}): Promise<StoredNotification[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLS} FROM notifications WHERE portal_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR owner_id = $3) AND ($4::text IS NULL OR ask_id = $4)
      ORDER BY created_at DESC, notice_key LIMIT $5`,
    [portalId, filter.status ?? null, filter.ownerId ?? null, filter.askId ?? null, filter.limit ?? 200],
  );
  return rows.map(toStored);
}

export async function getNotification(db: Queryable, portalId: string, key: string): Promise<StoredNotification | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLS} FROM notifications WHERE portal_id = $1 AND notice_key = $2`, [portalId, key]);
  return rows[0] ? toStored(rows[0]) : null;
}

export async function setActionState(db: Queryable, portalId: string, key: string, state: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE notifications SET action_state = $3 WHERE portal_id = $1 AND notice_key = $2`, [portalId, key, JSON.stringify(state)]);
}

/** The email an owner's earlier notices carried (notices raised from a task know only the owner id). */
export async function knownEmailOf(db: Queryable, portalId: string, ownerId: string): Promise<string | null> {
  const { rows } = await db.query<{ owner_email: string }>(`SELECT owner_email FROM notifications WHERE portal_id = $1 AND owner_id = $2 AND owner_email IS NOT NULL ORDER BY created_at DESC LIMIT 1`, [portalId, ownerId]);
  return rows[0]?.owner_email ?? null;
}

/** Backlog and failures (`advocacy jobs`, /health). */
export async function notificationCounts(db: Queryable): Promise<{ pending: number; failed: number; failures: Array<{ portalId: string; key: string; kind: string; attempts: number; error: string | null }> }> {
  const counts = await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM notifications WHERE status IN ('pending', 'failed') GROUP BY status`);
  const failures = await db.query<{ portal_id: string; notice_key: string; kind: string; attempts: number; last_error: string | null }>(
    `SELECT portal_id, notice_key, kind, attempts, last_error FROM notifications WHERE status = 'failed' ORDER BY created_at DESC LIMIT 10`,
  );
  const of = (s: string) => Number(counts.rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: of('pending'), failed: of('failed'), failures: failures.rows.map((r) => ({ portalId: r.portal_id, key: r.notice_key, kind: r.kind, attempts: r.attempts, error: r.last_error })) };
}

// ---- the messaging workspace a portal installed, and who is who there ----

export interface WorkspaceRow {
  workspaceId: string;
  portalId: string;
  /** Sealed (AES-256-GCM, bound to the workspace); only the adapter opens it. */
  botToken: string;
  botUserId: string | null;
  installedBy: string | null;
}

export async function saveWorkspace(db: Queryable, row: WorkspaceRow): Promise<void> {
  await db.query(
    `INSERT INTO messaging_workspaces (workspace_id, portal_id, bot_token, bot_user_id, installed_by) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (workspace_id) DO UPDATE SET portal_id = EXCLUDED.portal_id, bot_token = EXCLUDED.bot_token, bot_user_id = EXCLUDED.bot_user_id, installed_by = EXCLUDED.installed_by, installed_at = now()`,
    [row.workspaceId, row.portalId, row.botToken, row.botUserId, row.installedBy],
  );
}

type WsRow = { workspace_id: string; portal_id: string; bot_token: string; bot_user_id: string | null; installed_by: string | null };
const toWs = (r: WsRow): WorkspaceRow => ({ workspaceId: r.workspace_id, portalId: r.portal_id, botToken: r.bot_token, botUserId: r.bot_user_id, installedBy: r.installed_by });

export async function workspaceById(db: Queryable, workspaceId: string): Promise<WorkspaceRow | null> {
  const { rows } = await db.query<WsRow>(`SELECT workspace_id, portal_id, bot_token, bot_user_id, installed_by FROM messaging_workspaces WHERE workspace_id = $1`, [workspaceId]);
  return rows[0] ? toWs(rows[0]) : null;
}

export async function workspaceOfPortal(db: Queryable, portalId: string): Promise<WorkspaceRow | null> {
  const { rows } = await db.query<WsRow>(`SELECT workspace_id, portal_id, bot_token, bot_user_id, installed_by FROM messaging_workspaces WHERE portal_id = $1 ORDER BY installed_at DESC LIMIT 1`, [portalId]);
  return rows[0] ? toWs(rows[0]) : null;
}

/** A cached directory answer: the user id for an email (null: looked up, nobody has it). */
export async function cachedUser(db: Queryable, portalId: string, workspaceId: string, email: string): Promise<{ userId: string | null; lookedUpAt: string } | null> {
  const { rows } = await db.query<{ user_id: string | null; looked_up_at: string | Date }>(`SELECT user_id, looked_up_at FROM messaging_users WHERE portal_id = $1 AND workspace_id = $2 AND email = $3`, [portalId, workspaceId, email.toLowerCase()]);
  return rows[0] ? { userId: rows[0].user_id, lookedUpAt: iso(rows[0].looked_up_at)! } : null;
}

export async function rememberUser(db: Queryable, portalId: string, workspaceId: string, email: string, userId: string | null, at: string): Promise<void> {
  await db.query(
    `INSERT INTO messaging_users (portal_id, workspace_id, email, user_id, looked_up_at) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (portal_id, workspace_id, email) DO UPDATE SET user_id = EXCLUDED.user_id, looked_up_at = EXCLUDED.looked_up_at`,
    [portalId, workspaceId, email.toLowerCase(), userId, at],
  );
}

/** The email the directory holds for a user id (who clicked a button). */
export async function emailOfUser(db: Queryable, portalId: string, workspaceId: string, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ email: string }>(`SELECT email FROM messaging_users WHERE portal_id = $1 AND workspace_id = $2 AND user_id = $3 ORDER BY looked_up_at DESC LIMIT 1`, [portalId, workspaceId, userId]);
  return rows[0]?.email ?? null;
}

/** A person's erasure: the text of notices about them goes; ids and statuses stay. */
export async function eraseNoticesOf(db: Queryable, portalId: string, contactId: string): Promise<number> {
  const { rows } = await db.query(
    `UPDATE notifications SET notice = jsonb_set(jsonb_set(jsonb_set(notice, '{title}', '"(erased)"'), '{lines}', '[]'), '{ask}', 'null') WHERE portal_id = $1 AND contact_id = $2 AND notice->>'title' <> '(erased)' RETURNING notice_key`,
    [portalId, contactId],
  );
  return rows.length;
}
