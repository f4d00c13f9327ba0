import type { AppContext } from './context';
import type { AuditCheckpoint } from '../store/audit-checkpoint';
import { AuditTamperedError, type AuditProblem, type AuditVerification } from '../store/audit-log';
import { anchorFileExists, anchorFilePath, appendAnchor, readAnchorFile } from './audit-anchor-file';

// Writes the audit head down outside the database (a signed checkpoint, to the operator's
// anchor file and to the CRM), and verifies the log against every checkpoint it can find.

export type Destination = { to: string; ok: true } | { to: string; ok: false; error: string };

export interface AnchorOutcome {
  /** null when the log is empty: nothing to anchor yet. */
  checkpoint: AuditCheckpoint | null;
  /** True when this call marked the start of the keyed chain on a log that predates keys. */
  sealed: boolean;
  destinations: Destination[];
  /** True when a later head was already anchored by another process, so nothing was written. */
  coveredByNewer?: boolean;
}

const message = (error: unknown) => (error as { message?: string })?.message ?? String(error);

/**
 * Refuses (AuditTamperedError) when the head no longer agrees with the newest checkpoint
 * already written: a new checkpoint must never bless a rewritten log.
 */
export async function anchorAudit(ctx: AppContext, portalId: string): Promise<AnchorOutcome> {
  const at = ctx.now().toISOString();
  const { checkpoint, sealed } = await ctx.store.audit.checkpoint(portalId, at);
  if (!checkpoint) return { checkpoint: null, sealed, destinations: [] };
  const crm = ctx.crmFor(portalId);
  const file = anchorFilePath(ctx.env, ctx.storeFromDataDir === true);
  const previous: AuditCheckpoint[] = [];
  if (file && anchorFileExists(file)) {
    try {
      previous.push(...readAnchorFile(file).checkpoints.filter((c) => c.portalId === portalId));
    } catch (error) {
      // Reported below, when appending to it fails the same way.
      ctx.logger.warn({ portalId, file, error: message(error) }, 'could not read the anchor file before anchoring');
    }
  }
  if (crm.latestAuditCheckpoint) {
    const fromCrm = await crm.latestAuditCheckpoint().catch((error) => {
      ctx.logger.warn({ portalId, code: (error as { code?: string }).code }, 'could not read the CRM audit checkpoint before anchoring');
      return null;
    });
    if (fromCrm) previous.push(fromCrm);
  }
  const newest = previous.reduce<AuditCheckpoint | null>((a, c) => (!a || c.seq > a.seq ? c : a), null);
  if (newest && newest.seq > 0) {
    // Read the entry now, not from the head taken above: another process may have appended and
    // anchored in between. Only an entry that is gone or differs means the log was rewritten.
    const [entry] = await ctx.store.audit.list(portalId, { afterSeq: newest.seq - 1, limit: 1 });
    if (!entry || entry.seq !== newest.seq || entry.hash !== newest.hash) {
      throw new AuditTamperedError(`the audit log no longer matches the checkpoint of ${newest.at} (entry ${newest.seq})`);
    }
    // A later head was already anchored (a worker beside this one): it covers everything ours does.
    if (newest.seq > checkpoint.seq) return { checkpoint: newest, sealed, destinations: [], coveredByNewer: true };
  }
  const destinations: Destination[] = [];
  if (file) {
    try {
      appendAnchor(file, checkpoint);
      destinations.push({ to: file, ok: true });
    } catch (error) {
      destinations.push({ to: file, ok: false, error: message(error) });
    }
  }
  if (crm.saveAuditCheckpoint) {
    try {
      await crm.saveAuditCheckpoint(checkpoint);
      destinations.push({ to: `crm:${crm.kind}`, ok: true });
    } catch (error) {
      destinations.push({ to: `crm:${crm.kind}`, ok: false, error: message(error) });
    }
  }
  return { checkpoint, sealed, destinations };
}

export interface AnchorSource {
  source: string;
  checkpoints: number;
  error?: string;
}

export interface VerifiedLog extends AuditVerification {
  sources: AnchorSource[];
}

/**
 * The chain, checked against the configured anchor file, every file given, and the CRM's
 * newest checkpoint. A file given that cannot be read, or a line that is not a checkpoint,
 * is a problem; a CRM that cannot be reached right now is reported, not counted as tampering.
 */
export async function verifyAuditLog(ctx: AppContext, portalId: string, files: string[] = []): Promise<VerifiedLog> {
  const sources: AnchorSource[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  const fileProblems: AuditProblem[] = [];
  const configured = anchorFilePath(ctx.env, ctx.storeFromDataDir === true);
  const paths = [...new Set([...(configured && anchorFileExists(configured) ? [configured] : []), ...files])];
  for (const path of paths) {
    try {
      const read = readAnchorFile(path);
      checkpoints.push(...read.checkpoints);
      for (const line of read.badLines) fileProblems.push({ seq: 0, problem: 'ANCHOR_INVALID', detail: `line ${line} of ${path} is not a checkpoint` });
      sources.push({ source: path, checkpoints: read.checkpoints.filter((c) => c.portalId === portalId).length });
    } catch (error) {
      fileProblems.push({ seq: 0, problem: 'ANCHOR_INVALID', detail: `cannot read ${path}: ${message(error)}` });
      sources.push({ source: path, checkpoints: 0, error: message(error) });
    }
  }
  const crm = ctx.crmFor(portalId);
  if (crm.latestAuditCheckpoint) {
    try {
      const latest = await crm.latestAuditCheckpoint();
      if (latest) checkpoints.push(latest);
      sources.push({ source: `crm:${crm.kind}`, checkpoints: latest && latest.portalId === portalId ? 1 : 0 });
    } catch (error) {
      sources.push({ source: `crm:${crm.kind}`, checkpoints: 0, error: message(error) });
    }
  }
  const result = await ctx.store.audit.verify(portalId, { checkpoints });
  const problems = [...fileProblems, ...result.problems];
  return { ...result, ok: problems.length === 0, problems, sources };
}
