import type { Evaluation } from '../domain/evaluate-account';
import type { Queryable } from './db';
import { holdDecisions } from './refresh-repo';
import { chunksFor, valuesList } from './sql-values';

// One row per account per scan run: what the engine decided and why, with the criteria
// version it used and the content hash of the criteria file. The primary key (portal, run, account) is what makes a re-run a no-op.

export interface EvaluationRecord {
  evaluation: Evaluation;
  askId: string | null;
  taskKey: string | null;
  /** Names as the CRM gave them at evaluation time, so lists of candidates need no CRM read. */
  names?: EvaluationNames;
  /** Until when the decision holds with no new data, and the decision as acted on (the incremental refresh's due list). */
  held?: { holdsUntil: string | null; decisionKey: string };
}

export interface EvaluationNames {
  accountName: string;
  ownerId: string | null;
  ownerName: string | null;
  contactName: string | null;
}

/** Names kept by an evaluation and the contact `contactName` names. */
export type KeptNames = EvaluationNames & { contactId: string | null };

const COLS = ['portal_id', 'run_key', 'account_id', 'as_of', 'criteria_version', 'criteria_hash', 'decision', 'contact_id', 'ask_type', 'readiness_score', 'body', 'ask_id', 'task_key', 'holds_until'];

/** Inserts; returns the account ids that were not already evaluated in this run. */
export async function insertEvaluations(db: Queryable, portalId: string, runKey: string, records: EvaluationRecord[], criteriaHash: string | null = null): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunksFor(records, COLS.length)) {
    if (chunk.length === 0) continue;
    const { rows } = await db.query<{ account_id: string }>(
      `INSERT INTO evaluations (${COLS.join(',')}) VALUES ${valuesList(chunk.length, COLS.length)}
       ON CONFLICT (portal_id, run_key, account_id) DO NOTHING RETURNING account_id`,
      chunk.flatMap(({ evaluation: e, askId, taskKey, names, held }) => [
        portalId, runKey, e.accountId, e.asOf, e.criteriaVersion, criteriaHash, e.decision, e.contactId, e.askType, e.readiness?.score ?? null, JSON.stringify(names ? { ...e, names } : e), askId, taskKey, held?.holdsUntil ?? null,
      ]),
    );
    for (const r of rows) inserted.add(r.account_id);
  }
  const held = records.filter((r) => r.held && inserted.has(r.evaluation.accountId));
  await holdDecisions(db, portalId, runKey, held.map((r) => ({ accountId: r.evaluation.accountId, asOf: r.evaluation.asOf, holdsUntil: r.held!.holdsUntil, decisionKey: r.held!.decisionKey })));
  return inserted;
}

export async function evaluatedIn(db: Queryable, portalId: string, runKey: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const { rows } = await db.query<{ account_id: string }>(
    `SELECT account_id FROM evaluations WHERE portal_id = $1 AND run_key = $2 AND account_id = ANY($3::text[])`,
    [portalId, runKey, accountIds],
  );
  return new Set(rows.map((r) => r.account_id));
}

export interface StoredDecision {
  evaluation: Evaluation;
  askId: string | null;
  taskId: string | null;
  /** The names kept beside the evaluation (null for evaluations stored before names were kept). */
  names: EvaluationNames | null;
}

/** The decisions of one run, in account order, a page at a time, with the task each led to. */
export async function* decisionsOfRun(db: Queryable, portalId: string, runKey: string, pageSize = 1000): AsyncGenerator<StoredDecision[]> {
  let after = '';
  for (;;) {
    const { rows } = await db.query<{ account_id: string; body: Evaluation & { names?: EvaluationNames }; ask_id: string | null; task_id: string | null }>(
      `SELECT e.account_id, e.body, e.ask_id, o.task_id
         FROM evaluations e LEFT JOIN outbox o ON o.portal_id = e.portal_id AND o.idempotency_key = e.task_key
        WHERE e.portal_id = $1 AND e.run_key = $2 AND e.account_id > $3
        ORDER BY e.account_id LIMIT $4`,
      [portalId, runKey, after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({ evaluation: r.body, askId: r.ask_id, taskId: r.task_id, names: r.body.names ?? null }));
    after = rows[rows.length - 1].account_id;
  }
}

/** Names the latest evaluation of each account kept, with the contact they name (accounts never evaluated with names are left out). */
export async function namesOf(db: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, KeptNames>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await db.query<{ account_id: string; names: EvaluationNames; contact_id: string | null }>(
    `SELECT DISTINCT ON (account_id) account_id, body->'names' AS names, contact_id
       FROM evaluations
      WHERE portal_id = $1 AND account_id = ANY($2::text[]) AND body ? 'names'
      ORDER BY account_id, as_of DESC`,
    [portalId, accountIds],
  );
  return new Map(rows.map((r) => [r.account_id, { ...r.names, contactId: r.contact_id }]));
}

export async function runSummary(db: Queryable, portalId: string, runKey: string) {
  const { rows } = await db.query<{ decision: string; n: number }>(
    `SELECT decision, count(*)::int AS n FROM evaluations WHERE portal_id = $1 AND run_key = $2 GROUP BY decision`,
    [portalId, runKey],
  );
  const by = Object.fromEntries(rows.map((r) => [r.decision, r.n]));
  const proposed = by.propose ?? 0;
  const handedOff = by.handoff ?? 0;
  const notReady = by.not_ready ?? 0;
  return { evaluated: proposed + handedOff + notReady, proposed, handedOff, notReady };
}

export async function latestEvaluation(db: Queryable, portalId: string, accountId: string): Promise<Evaluation | null> {
  const { rows } = await db.query<{ body: Evaluation }>(
    `SELECT body FROM evaluations WHERE portal_id = $1 AND account_id = $2 ORDER BY as_of DESC, created_at DESC LIMIT 1`,
    [portalId, accountId],
  );
  return rows[0]?.body ?? null;
}
