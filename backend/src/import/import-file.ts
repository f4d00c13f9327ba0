import type { AppContext } from '../app-context';
import { existingAccountIds } from '../crm/local/local-writes';
import type { Queryable } from '../store/db';
import { applyDataset, datasetCounts, DATASET_KINDS, type Dataset, type DatasetKind } from './dataset';
import { ImportError, readImportFile, type ImportProblem } from './read-import-file';

// Imports one file all-or-nothing: rows are validated first, references are checked against
// the file and what is already stored, and the whole file is applied in one transaction.

export async function importFile(ctx: AppContext, portalId: string, file: string, kind?: DatasetKind, actor = 'cli:import'): Promise<Record<DatasetKind, number>> {
  const ds = readImportFile(file, kind);
  const counts = datasetCounts(ds);
  // The embedded CRM's tables live in the store's database: rows, asks and the audit entry
  // commit together.
  await ctx.store.transaction(async (tx) => {
    const problems = await missingReferences(tx.connection, portalId, ds);
    if (problems.length) throw new ImportError(file, problems);
    await applyDataset(tx.connection, portalId, ds);
    await tx.audit.append(
      portalId,
      [{ actor, action: 'import.applied', entityType: 'import', entityId: file.split('/').pop() ?? file, accountId: null, criteriaVersion: null, before: null, after: counts }],
      ctx.now().toISOString(),
    );
  });
  return counts;
}

async function missingReferences(db: Queryable, portalId: string, ds: Dataset): Promise<ImportProblem[]> {
  const referenced = new Set<string>();
  const refs: Array<{ kind: DatasetKind; row: number; accountId: string | null }> = [];
  const collect = (kind: DatasetKind, rows: Array<{ accountId: string | null }>) =>
    rows.forEach((r, i) => {
      if (r.accountId) {
        refs.push({ kind, row: i + 1, accountId: r.accountId });
        referenced.add(r.accountId);
      }
    });
  collect('health', ds.health);
  collect('contacts', ds.contacts);
  collect('nps', ds.nps);
  collect('asks', ds.asks);
  collect('consents', ds.consents);
  collect('deals', ds.deals);
  const inFile = new Set(ds.accounts.map((a) => a.accountId));
  const unknown = [...referenced].filter((id) => !inFile.has(id));
  const known = new Set([...inFile, ...(await existingAccountIds(db, portalId, unknown))]);
  return refs
    .filter((r) => r.accountId && !known.has(r.accountId))
    .map((r) => ({ kind: r.kind, row: r.row, column: 'account_id', message: `account ${r.accountId} is neither in this file nor already imported` }))
    .sort((a, b) => DATASET_KINDS.indexOf(a.kind) - DATASET_KINDS.indexOf(b.kind) || a.row - b.row);
}
