import { confirmCreates } from './crm-created-objects';
import type { Queryable } from './db';

// Rows of hubspot_tokens hold ciphertext only; encryption happens in the adapter's token store.

export interface EncryptedTokenRow {
  portalId: string;
  accessTokenEnc: string;
  refreshTokenEnc: string;
  expiresAt: string;
  /** Set when HubSpot rejected the refresh token as revoked: the row is kept, never used. */
  revokedAt?: string | null;
}

export async function readTokenRow(db: Queryable, portalId: string): Promise<EncryptedTokenRow | null> {
  const { rows } = await db.query<{ portal_id: string; access_token_enc: string; refresh_token_enc: string; expires_at: string; revoked_at: Date | string | null }>(
    'SELECT portal_id, access_token_enc, refresh_token_enc, expires_at, revoked_at FROM hubspot_tokens WHERE portal_id = $1',
    [portalId],
  );
  const r = rows[0];
  return r ? { portalId: r.portal_id, accessTokenEnc: r.access_token_enc, refreshTokenEnc: r.refresh_token_enc, expiresAt: r.expires_at, revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString() } : null;
}

export async function writeTokenRow(db: Queryable, row: EncryptedTokenRow): Promise<void> {
  await db.query(
    `INSERT INTO hubspot_tokens (portal_id, access_token_enc, refresh_token_enc, expires_at, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (portal_id) DO UPDATE SET access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
       expires_at = EXCLUDED.expires_at, updated_at = now(), revoked_at = NULL`,
    [row.portalId, row.accessTokenEnc, row.refreshTokenEnc, row.expiresAt],
  );
}

/** HubSpot said the refresh token is revoked: keep the row (and the data), stop using it. */
export async function markTokensRevoked(db: Queryable, portalId: string, at: string): Promise<boolean> {
  const { rows } = await db.query(`UPDATE hubspot_tokens SET revoked_at = $2 WHERE portal_id = $1 AND revoked_at IS NULL RETURNING portal_id`, [portalId, at]);
  return rows.length > 0;
}

/** The position in the app's webhooks journal up to which every entry was handled. */
export async function journalOffset(db: Queryable, appId: string): Promise<string | null> {
  const { rows } = await db.query<{ journal_offset: string | null }>(`SELECT journal_offset FROM hubspot_app_journal WHERE app_id = $1`, [appId]);
  return rows[0]?.journal_offset ?? null;
}

export async function saveJournalOffset(db: Queryable, appId: string, offset: string | null): Promise<void> {
  await db.query(
    `INSERT INTO hubspot_app_journal (app_id, journal_offset, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (app_id) DO UPDATE SET journal_offset = EXCLUDED.journal_offset, updated_at = now()`,
    [appId, offset],
  );
}

// The key -> created object map is shared by every adapter now (crm-created-objects).
export { createdObjectIds } from './crm-created-objects';

export async function rememberCreatedObjects(db: Queryable, portalId: string, objectType: string, created: Array<{ key: string; objectId: string }>): Promise<void> {
  await confirmCreates(db, portalId, objectType, created);
}

export interface PortalSetupRow {
  askStorage: 'custom_object' | 'notes';
  askObject: unknown;
}

export async function readPortalSetup(db: Queryable, portalId: string): Promise<PortalSetupRow | null> {
  const { rows } = await db.query<{ ask_storage: PortalSetupRow['askStorage']; ask_object: unknown }>('SELECT ask_storage, ask_object FROM hubspot_portals WHERE portal_id = $1', [portalId]);
  return rows[0] ? { askStorage: rows[0].ask_storage, askObject: rows[0].ask_object } : null;
}

export async function writePortalSetup(db: Queryable, portalId: string, setup: PortalSetupRow): Promise<void> {
  await db.query(
    `INSERT INTO hubspot_portals (portal_id, ask_storage, ask_object, set_up_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (portal_id) DO UPDATE SET ask_storage = EXCLUDED.ask_storage, ask_object = EXCLUDED.ask_object, set_up_at = now()`,
    [portalId, setup.askStorage, setup.askObject === null ? null : JSON.stringify(setup.askObject)],
  );
}
