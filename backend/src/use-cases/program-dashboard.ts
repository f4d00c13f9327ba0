import type { AppContext } from './context';
import type { IsoDate } from '../domain/types';
import { buildReport, type ProgramReport } from './build-report';

// What the program owner's dashboard page shows: the report (pipeline month over month,
// activation, acceptance by ask type, reference KPIs and service levels) and the candidates
// list (proposed, handed off, waiting for an answer), which a CSM filters to their own.

export interface CandidateView {
  accountId: string;
  accountName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  stage: 'proposed' | 'handed_off' | 'waiting';
  askId: string | null;
  askType: string | null;
  contactId: string | null;
  contactName: string | null;
  since: string;
  reasons: Array<{ code: string; detail: string }>;
  csmOwned: boolean;
}

export interface ProgramDashboardView {
  report: ProgramReport;
  candidates: CandidateView[];
  /** All candidates matching the filter; `candidates` holds the first `limit`. */
  candidateTotal: number;
  /** The CSMs who own a candidate, for the filter. */
  owners: Array<{ ownerId: string; name: string }>;
}

export async function programDashboard(ctx: AppContext, portalId: string, options: { months: number; asOf?: IsoDate; ownerId?: string | null; limit?: number }): Promise<ProgramDashboardView> {
  const limit = options.limit ?? 100;
  const [report, filtered] = await Promise.all([
    buildReport(ctx, portalId, { months: options.months, asOf: options.asOf }),
    ctx.store.evaluations.candidates(portalId, { limit, ownerId: options.ownerId ?? null }),
  ]);
  return {
    report,
    candidateTotal: filtered.total,
    candidates: filtered.rows.map((c) => ({
      accountId: c.accountId,
      accountName: c.names?.accountName ?? null,
      ownerId: c.names?.ownerId ?? null,
      ownerName: c.names?.ownerName ?? null,
      stage: c.stage,
      askId: c.askId,
      askType: c.askType,
      contactId: c.contactId,
      contactName: c.contactName,
      since: c.since,
      reasons: c.reasons.map((r) => ({ code: r.code, detail: r.detail })),
      csmOwned: c.csmOwned,
    })),
    owners: filtered.owners,
  };
}
