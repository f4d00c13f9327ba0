import type { AskType, Reason } from '../domain/types';
import type { Queryable } from './db';
import type { EvaluationNames } from './evaluations-repo';

// The program's candidates as the dashboard lists them: each account's ask in progress
// (proposed by the engine, or sent and waiting for an answer), and the accounts whose latest
// evaluation handed them to their CSM with nothing in progress. Names come from what the scan
// recorded beside its evaluations, so the list needs no CRM read.

export interface CandidateRow {
  accountId: string;
  stage: 'proposed' | 'handed_off' | 'waiting';
  askId: string | null;
  askType: AskType | null;
  contactId: string | null;
  /** When it reached this stage: proposed or sent, or the hand-off's evaluation date. */
  since: string;
  reasons: Reason[];
  csmOwned: boolean;
  names: EvaluationNames | null;
  /** The contact's name, when the scan named that same contact. */
  contactName: string | null;
}

interface Row {
  account_id: string;
  stage: CandidateRow['stage'];
  ask_id: string | null;
  ask_type: AskType | null;
  contact_id: string | null;
  since: string | Date;
  reasons: Reason[] | null;
  source: string | null;
  names: EvaluationNames | null;
  contact_name: string | null;
}

/** The CSMs who own at least one candidate (whatever the filter), for the dashboard's filter. */
export interface CandidateOwner {
  ownerId: string;
  name: string;
}

export async function listCandidates(db: Queryable, portalId: string, options: { limit: number; ownerId?: string | null }): Promise<{ rows: CandidateRow[]; total: number; owners: CandidateOwner[] }> {
  // One read: the page of the filtered list, and the owners of every candidate. The page is
  // joined to a single row of owners so an empty page still brings the owners back.
  const { rows } = await db.query<(Row & { total: number }) | ({ [K in keyof Row]: null } & { total: null; owners: CandidateOwner[] })>(
    `WITH latest AS (
       SELECT DISTINCT ON (account_id) account_id, as_of, decision, contact_id, body
         FROM evaluations WHERE portal_id = $1
        ORDER BY account_id, as_of DESC, created_at DESC
     ), open_asks AS (
       SELECT DISTINCT ON (account_id) account_id, ask_id, ask_type, contact_id, status, proposed_at, sent_at, source
         FROM asks WHERE portal_id = $1 AND deal_id IS NULL AND status IN ('proposed', 'sent')
        ORDER BY account_id, proposed_at DESC
     ), candidates AS (
       SELECT o.account_id, CASE WHEN o.status = 'proposed' THEN 'proposed' ELSE 'waiting' END AS stage, o.ask_id, o.ask_type, o.contact_id,
              COALESCE(o.sent_at, o.proposed_at)::text AS since, NULL::jsonb AS reasons, o.source, l.body -> 'names' AS names,
              CASE WHEN l.contact_id = o.contact_id THEN l.body -> 'names' ->> 'contactName' END AS contact_name
         FROM open_asks o LEFT JOIN latest l ON l.account_id = o.account_id
       UNION ALL
       SELECT l.account_id, 'handed_off', NULL, l.body ->> 'askType', l.contact_id, l.as_of::text, l.body -> 'reasons', NULL, l.body -> 'names', l.body -> 'names' ->> 'contactName'
         FROM latest l
        WHERE l.decision = 'handoff'
          AND NOT EXISTS (SELECT 1 FROM asks a WHERE a.portal_id = $1 AND a.account_id = l.account_id AND a.deal_id IS NULL AND a.status IN ('proposed', 'sent', 'accepted'))
     ), owners AS (
       SELECT COALESCE(jsonb_agg(o), '[]'::jsonb) AS owners
         FROM (SELECT DISTINCT jsonb_build_object('ownerId', names ->> 'ownerId', 'name', COALESCE(names ->> 'ownerName', names ->> 'ownerId')) AS o
                 FROM candidates WHERE names ->> 'ownerId' IS NOT NULL) d
     )
     SELECT page.*, owners.owners
       FROM owners
       LEFT JOIN LATERAL (
         SELECT *, count(*) OVER ()::int AS total FROM candidates WHERE ($3::text IS NULL OR names ->> 'ownerId' = $3)
          ORDER BY since DESC, account_id LIMIT $2
       ) page ON true
      ORDER BY page.since DESC, page.account_id`,
    [portalId, options.limit, options.ownerId ?? null],
  );
  // One entry per CSM (the name of the last candidate read wins), sorted by name as people read it.
  const byId = new Map(((rows[0] as { owners?: CandidateOwner[] } | undefined)?.owners ?? []).map((o) => [o.ownerId, o.name]));
  const owners = [...byId].map(([ownerId, name]) => ({ ownerId, name })).sort((a, b) => a.name.localeCompare(b.name));
  const page = rows.filter((r): r is Row & { total: number } => r.account_id !== null);
  return {
    total: page[0]?.total ?? 0,
    owners,
    rows: page.map((r) => ({
      accountId: r.account_id,
      stage: r.stage,
      askId: r.ask_id,
      askType: r.ask_type,
      contactId: r.contact_id,
      since: typeof r.since === 'string' ? r.since : r.since.toISOString(),
      reasons: r.reasons ?? [],
      csmOwned: r.source === 'csm',
      names: r.names,
      contactName: r.contact_name,
    })),
  };
}
