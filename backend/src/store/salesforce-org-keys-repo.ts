import type { Queryable } from './db';

// The Salesforce org keys (see migration 014): issued, looked up by id, revoked.

export interface OrgKeyRow {
  keyId: string;
  portalId: string;
  secretSha256: string;
  issuedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  issuedBy: string;
}

interface Row {
  key_id: string;
  portal_id: string;
  secret_sha256: string;
  issued_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  issued_by: string;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const fromRow = (r: Row): OrgKeyRow => ({
  keyId: r.key_id,
  portalId: r.portal_id,
  secretSha256: r.secret_sha256,
  issuedAt: iso(r.issued_at),
  expiresAt: iso(r.expires_at),
  revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
  issuedBy: r.issued_by,
});

export async function insertOrgKey(db: Queryable, row: OrgKeyRow): Promise<void> {
  await db.query(
    `INSERT INTO salesforce_org_keys (key_id, portal_id, secret_sha256, issued_at, expires_at, revoked_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.keyId, row.portalId, row.secretSha256, row.issuedAt, row.expiresAt, row.revokedAt, row.issuedBy],
  );
}

/** Any portal's key by its id: the key names its portal, the caller does not. */
export async function orgKeyById(db: Queryable, keyId: string): Promise<OrgKeyRow | null> {
  const { rows } = await db.query<Row>(`SELECT * FROM salesforce_org_keys WHERE key_id = $1`, [keyId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function orgKeysOf(db: Queryable, portalId: string): Promise<OrgKeyRow[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM salesforce_org_keys WHERE portal_id = $1 ORDER BY issued_at, key_id`, [portalId]);
  return rows.map(fromRow);
}

/** Revokes a key of this portal; false when the portal has no such key or it was revoked already. */
export async function revokeOrgKey(db: Queryable, portalId: string, keyId: string, at: string): Promise<boolean> {
  const { rows } = await db.query<{ key_id: string }>(
    `UPDATE salesforce_org_keys SET revoked_at = $3 WHERE portal_id = $1 AND key_id = $2 AND revoked_at IS NULL RETURNING key_id`,
    [portalId, keyId, at],
  );
  return rows.length === 1;
}
