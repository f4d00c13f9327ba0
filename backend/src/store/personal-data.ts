import type { Queryable } from './db';
import { eraseNoticesOf } from './notifications-repo';

// Erasing a person, and purging an uninstalled portal: the SQL. What goes is personal data
// (names, titles, emails, outreach text, notes, feedback, consent evidence, NPS answers);
// what stays is ids, dates and decisions (README "Privacy: what is kept").

export const ERASED = '[erased]';

export interface ContactErasure {
  /** Accounts the person belonged to or was asked through (their caches need a refresh). */
  accountIds: string[];
  counts: Record<string, number>;
}

const count = async (tx: Queryable, sql: string, params: unknown[]) => (await tx.query(sql, params)).rows.length;

/** Erases one person's personal data in a portal, in the caller's transaction. */
export async function eraseContactData(tx: Queryable, portalId: string, contactId: string): Promise<ContactErasure> {
  const p = [portalId, contactId];
  const accounts = await tx.query<{ account_id: string }>(
    `SELECT account_id FROM crm_contacts WHERE portal_id = $1 AND contact_id = $2
     UNION SELECT account_id FROM asks WHERE portal_id = $1 AND contact_id = $2
     UNION SELECT account_id FROM consents WHERE portal_id = $1 AND contact_id = $2`,
    p,
  );
  const counts: Record<string, number> = {
    auditPersonal: await count(tx, `DELETE FROM audit_personal WHERE portal_id = $1 AND subject_id = $2 RETURNING seq`, p),
    asks: await count(
      tx,
      `UPDATE asks SET outcome_note = NULL, details = details - 'outreach' - 'feedback' - 'contactName', updated_at = now()
        WHERE portal_id = $1 AND contact_id = $2 AND (outcome_note IS NOT NULL OR details ?| array['outreach', 'feedback', 'contactName']) RETURNING ask_id`,
      p,
    ),
    consents: await count(tx, `UPDATE consents SET evidence = '${ERASED}' WHERE portal_id = $1 AND contact_id = $2 AND evidence <> '${ERASED}' RETURNING consent_id`, p),
    // The outreach text, the contact's name kept for the dashboard, and the readiness notes
    // that quote the person (their title): the signals, points and reasons stay.
    evaluations: await count(
      tx,
      `UPDATE evaluations SET body = jsonb_set(
           body #- '{proposal,outreach}' #- '{names,contactName}',
           '{readiness,contributions}',
           COALESCE((SELECT jsonb_agg(c - 'note') FROM jsonb_array_elements(body #> '{readiness,contributions}') AS c), 'null'::jsonb),
           false)
        WHERE portal_id = $1 AND contact_id = $2 AND (body #> '{proposal,outreach}' IS NOT NULL OR jsonb_typeof(body #> '{names,contactName}') = 'string' OR EXISTS (SELECT 1 FROM jsonb_array_elements(body #> '{readiness,contributions}') AS c WHERE c ? 'note'))
        RETURNING account_id`,
      p,
    ),
    // A task not yet sent is not sent at all; every task keeps its ids and loses its text.
    outboxCancelled: await count(tx, `UPDATE outbox SET status = 'failed', last_error = 'CONTACT_ERASED' WHERE portal_id = $1 AND payload->>'contactId' = $2 AND status = 'pending' RETURNING idempotency_key`, p),
    outbox: await count(
      tx,
      `UPDATE outbox SET payload = payload || jsonb_build_object('subject', '${ERASED}', 'body', '${ERASED}')
        WHERE portal_id = $1 AND payload->>'contactId' = $2 AND payload ? 'body' AND payload->>'body' <> '${ERASED}' RETURNING idempotency_key`,
      p,
    ),
    // The embedded CRM is ours: its copy of the person goes too.
    crmTasks: await count(tx, `UPDATE crm_tasks SET subject = '${ERASED}', body = '${ERASED}' WHERE portal_id = $1 AND contact_id = $2 AND body <> '${ERASED}' RETURNING task_id`, p),
    crmNpsResponses: await count(tx, `DELETE FROM crm_nps_responses WHERE portal_id = $1 AND contact_id = $2 RETURNING contact_id`, p),
    crmContact: await count(tx, `DELETE FROM crm_contacts WHERE portal_id = $1 AND contact_id = $2 RETURNING contact_id`, p),
    // The reference index's copy of the CRM (names, titles): the accounts that hold the person
    // are dropped from it, and read again from the CRM (without the person) by the caller.
    referenceIndex: await count(tx, `DELETE FROM reference_index WHERE portal_id = $1 AND (signals->'contacts' @> jsonb_build_array(jsonb_build_object('contactId', $2::text)) OR advocates @> jsonb_build_array(jsonb_build_object('contactId', $2::text))) RETURNING account_id`, p),
    notifications: await eraseNoticesOf(tx, portalId, contactId),
  };
  return { accountIds: accounts.rows.map((r) => r.account_id), counts };
}

export async function wasErased(db: Queryable, portalId: string, contactId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM audit_log WHERE portal_id = $1 AND action = 'contact.erased' AND entity_id = $2 LIMIT 1`, [portalId, contactId]);
  return rows.length > 0;
}

// ---- uninstalled portals ----

/** Records the uninstall (a later one restarts the grace period) and deletes the portal's tokens at once. */
export async function recordUninstall(tx: Queryable, portalId: string, at: string, purgeAfter: string, source: string): Promise<{ tokensDeleted: number }> {
  await tx.query(
    `INSERT INTO portal_uninstalls (portal_id, uninstalled_at, purge_after, source) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id) DO UPDATE SET uninstalled_at = EXCLUDED.uninstalled_at, purge_after = EXCLUDED.purge_after, source = EXCLUDED.source, purged_at = NULL`,
    [portalId, at, purgeAfter, source],
  );
  return { tokensDeleted: await count(tx, `DELETE FROM hubspot_tokens WHERE portal_id = $1 RETURNING portal_id`, [portalId]) };
}

/**
 * Remembers a lifecycle event (an uninstall read from HubSpot's journal) as handled; false when
 * it already was, so a journal entry read twice acts once.
 */
export async function recordLifecycleEvent(tx: Queryable, event: { key: string; portalId: string; action: string; occurredAt: string }, outcome: string): Promise<boolean> {
  return (await count(tx, `INSERT INTO app_lifecycle_events (event_key, install_portal, action, occurred_at, outcome) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_key) DO NOTHING RETURNING event_key`, [event.key, event.portalId, event.action, event.occurredAt, outcome])) > 0;
}

/** True when the portal's tokens were stored (an install) after `at`: a later reinstall. */
export async function installedSince(db: Queryable, portalId: string, at: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM hubspot_tokens WHERE portal_id = $1 AND updated_at > $2 AND revoked_at IS NULL`, [portalId, at]);
  return rows.length > 0;
}

/** A reinstall within the grace period keeps the portal's data. */
export async function cancelUninstall(db: Queryable, portalId: string): Promise<boolean> {
  return (await count(db, `DELETE FROM portal_uninstalls WHERE portal_id = $1 AND purged_at IS NULL RETURNING portal_id`, [portalId])) > 0;
}

export async function portalsDueForPurge(db: Queryable, now: string): Promise<string[]> {
  const { rows } = await db.query<{ portal_id: string }>(`SELECT portal_id FROM portal_uninstalls WHERE purged_at IS NULL AND purge_after <= $1 ORDER BY portal_id`, [now]);
  return rows.map((r) => r.portal_id);
}

/**
 * Kept when a portal is purged: its audit log and head (ids and decisions, no personal data:
 * that lives in audit_personal, which goes), its audit checkpoints, and the uninstall record.
 */
const KEPT = new Set(['audit_log', 'audit_head', 'crm_audit_checkpoints', 'portal_uninstalls', 'schema_migrations']);

/** Deletes every row of the portal from every table that has a portal_id, except those kept. */
export async function purgePortalData(tx: Queryable, portalId: string, at: string): Promise<Record<string, number>> {
  const { rows } = await tx.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
      WHERE column_name = 'portal_id' AND table_schema = current_schema() ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of rows) {
    if (KEPT.has(table) || !/^[a-z_][a-z0-9_]*$/.test(table)) continue;
    const n = await count(tx, `DELETE FROM ${table} WHERE portal_id = $1 RETURNING 1`, [portalId]);
    if (n > 0) counts[table] = n;
  }
  await tx.query(`UPDATE portal_uninstalls SET purged_at = $2 WHERE portal_id = $1`, [portalId, at]);
  return counts;
}

// ---- the CRM's deleted-records position ----

export async function deletionSyncPosition(db: Queryable, portalId: string): Promise<string | null> {
  const { rows } = await db.query<{ covered_until: string }>(`SELECT covered_until FROM crm_deletion_sync WHERE portal_id = $1`, [portalId]);
  return rows[0]?.covered_until ?? null;
}

export async function saveDeletionSyncPosition(db: Queryable, portalId: string, coveredUntil: string): Promise<void> {
  await db.query(
    `INSERT INTO crm_deletion_sync (portal_id, covered_until) VALUES ($1, $2)
     ON CONFLICT (portal_id) DO UPDATE SET covered_until = GREATEST(crm_deletion_sync.covered_until, EXCLUDED.covered_until)`,
    [portalId, coveredUntil],
  );
}
