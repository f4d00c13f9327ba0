import type { AppContext } from '../use-cases/context';
import { importLookup } from '../crm/local/local-lookups';
import { referenceProblems } from './check-references';
import { datasetCounts, applyDataset, type DatasetKind } from './dataset';
import { ImportError, readImportFileChecked, sortProblems } from './read-import-file';

// Imports one file all-or-nothing: every row of every kind is checked in one pass (its own
// columns, then what it points at, in the file or already stored), every problem is listed
// with its line and column, and only a clean file is applied, in one transaction.

export async function importFile(ctx: AppContext, portalId: string, file: string, kind?: DatasetKind, actor = 'cli:import'): Promise<Record<DatasetKind, number>> {
  const { ds, problems } = readImportFileChecked(file, kind);
  const counts = datasetCounts(ds);
  // The embedded CRM's tables live in the store's database: rows, asks and the audit entry
  // commit together, and references are checked against what that transaction sees.
  await ctx.store.transaction(async (tx) => {
    const all = sortProblems([...problems, ...(await referenceProblems(ds, importLookup(tx.connection, portalId)))]);
    if (all.length) throw new ImportError(file, all);
    await applyDataset(tx.connection, portalId, ds);
    await tx.audit.append(
      portalId,
      [{ actor, action: 'import.applied', entityType: 'import', entityId: file.split('/').pop() ?? file, accountId: null, criteriaVersion: null, before: null, after: counts }],
      ctx.now().toISOString(),
    );
  });
  return counts;
}
