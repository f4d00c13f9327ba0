import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { statusOn } from '../domain/ask-history';
import type { Ask } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import { DATASET_KINDS, emptyDataset, type Dataset, type DatasetKind } from './dataset';
import { COLUMNS, ROW_SCHEMAS, type RowOf } from './row-schemas';

// Reads one CSV or JSON file into a Dataset, or lists every bad row and column. Nothing is
// written here: the caller applies the dataset in one transaction only when it is clean.

export interface ImportProblem {
  kind: DatasetKind;
  /** 1-based data row (the CSV header is not counted); null for file-level problems. */
  row: number | null;
  column: string | null;
  message: string;
}

export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ImportProblem[],
  ) {
    super(
      `${file}: nothing was imported, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems
          .slice(0, 200)
          .map((p) => `  - ${p.kind}${p.row !== null ? ` row ${p.row}` : ''}${p.column ? `, column ${p.column}` : ''}: ${p.message}`)
          .join('\n') +
        (problems.length > 200 ? `\n  ... and ${problems.length - 200} more` : ''),
    );
    this.name = 'ImportError';
  }
}

export function kindFromFileName(file: string): DatasetKind | null {
  const name = basename(file, extname(file)).toLowerCase();
  const hits = DATASET_KINDS.filter((k) => new RegExp(`(^|[^a-z])${k}([^a-z]|$)`).test(name));
  return hits.length === 1 ? hits[0] : null;
}

export function readImportFile(file: string, kindOption?: DatasetKind): Dataset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImportError(file, [{ kind: kindOption ?? 'accounts', row: null, column: null, message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const ext = extname(file).toLowerCase();
  const byKind = new Map<DatasetKind, unknown[]>();
  const fileProblem = (message: string, kind: DatasetKind = kindOption ?? 'accounts') => new ImportError(file, [{ kind, row: null, column: null, message }]);

  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw fileProblem(`not valid JSON: ${(error as Error).message}`);
    }
    if (Array.isArray(doc)) {
      const kind = kindOption ?? kindFromFileName(file);
      if (!kind) throw fileProblem(`a JSON array needs its kind: name the file after one of ${DATASET_KINDS.join(', ')} or pass --kind`);
      byKind.set(kind, doc);
    } else if (doc && typeof doc === 'object') {
      for (const [key, rows] of Object.entries(doc)) {
        if (!(DATASET_KINDS as readonly string[]).includes(key)) throw fileProblem(`unknown section "${key}"; sections are ${DATASET_KINDS.join(', ')}`);
        if (!Array.isArray(rows)) throw fileProblem(`section "${key}" must be an array of rows`, key as DatasetKind);
        byKind.set(key as DatasetKind, rows);
      }
    } else {
      throw fileProblem('JSON must be an array of rows or an object of sections');
    }
  } else if (ext === '.csv') {
    const kind = kindOption ?? kindFromFileName(file);
    if (!kind) throw fileProblem(`cannot tell what this CSV holds: name the file after one of ${DATASET_KINDS.join(', ')} or pass --kind`);
    let rows: Record<string, string>[];
    try {
      rows = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      throw fileProblem(`not valid CSV: ${(error as Error).message}`, kind);
    }
    const header = text.split(/\r?\n/, 1)[0].replace(/^\uFEFF/, '').split(',').map((h) => h.trim().toLowerCase().replace(/^"|"$/g, ''));
    const unknown = header.filter((h) => !COLUMNS[kind].includes(h));
    if (unknown.length) throw fileProblem(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ${kind} columns are ${COLUMNS[kind].join(', ')}`, kind);
    byKind.set(kind, rows);
  } else {
    throw fileProblem(`unsupported file type "${ext || '(none)'}": use .csv or .json`);
  }
  return toDataset(file, byKind);
}

function toDataset(file: string, byKind: Map<DatasetKind, unknown[]>): Dataset {
  const ds = emptyDataset();
  ds.present = {};
  for (const [kind, rows] of byKind) {
    const cols = new Set<string>();
    for (const row of rows) if (row && typeof row === 'object') for (const k of Object.keys(row)) cols.add(k);
    ds.present[kind] = [...cols];
  }
  const problems: ImportProblem[] = [];
  for (const [kind, rows] of byKind) {
    const seen = new Map<string, number>();
    rows.forEach((raw, index) => {
      const row = index + 1;
      const parsed = ROW_SCHEMAS[kind].safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push({ kind, row, column: issue.path.length ? issue.path.join('.') : null, message: issue.message });
        return;
      }
      const id = rowKey(kind, parsed.data as never);
      if (seen.has(id)) {
        problems.push({ kind, row, column: null, message: `duplicates row ${seen.get(id)} (${id})` });
        return;
      }
      seen.set(id, row);
      const problem = addRow(ds, kind, parsed.data as never);
      if (problem) problems.push({ kind, row, column: problem.column, message: problem.message });
    });
  }
  if (problems.length) throw new ImportError(file, problems);
  return ds;
}

function rowKey(kind: DatasetKind, r: Record<string, unknown>): string {
  switch (kind) {
    case 'health':
      return `${r.account_id}@${r.date}`;
    case 'nps':
      return `${r.contact_id}@${r.date}`;
    default:
      return String(r[`${kind.replace(/s$/, '')}_id`]);
  }
}

function addRow<K extends DatasetKind>(ds: Dataset, kind: K, r: RowOf<K>): { column: string; message: string } | null {
  switch (kind) {
    case 'owners': {
      const o = r as RowOf<'owners'>;
      ds.owners.push({ ownerId: o.owner_id, name: o.name, email: o.email });
      return null;
    }
    case 'accounts': {
      const a = r as RowOf<'accounts'>;
      ds.accounts.push({
        accountId: a.account_id, name: a.name, ownerId: a.owner_id, healthScore: a.health_score, customerSince: a.customer_since, usageDepth: a.usage_depth,
        csat: a.csat, engagement: a.engagement, strategic: a.strategic, openEscalations: a.open_escalations, renewalDate: a.renewal_date,
        industry: a.industry, region: a.region, sizeBand: a.size_band, products: a.products,
        useCases: a.use_cases, competitorsReplaced: a.competitors_replaced, languages: a.languages,
      });
      return null;
    }
    case 'health': {
      const h = r as RowOf<'health'>;
      ds.health.push({ accountId: h.account_id, date: h.date, score: h.score });
      return null;
    }
    case 'contacts': {
      const c = r as RowOf<'contacts'>;
      ds.contacts.push({ contactId: c.contact_id, accountId: c.account_id, firstName: c.first_name, lastName: c.last_name, title: c.title, seniority: c.seniority, doNotContact: c.do_not_contact });
      return null;
    }
    case 'nps': {
      const n = r as RowOf<'nps'>;
      ds.nps.push({ contactId: n.contact_id, accountId: n.account_id, date: n.date, score: n.score });
      return null;
    }
    case 'asks': {
      const a = r as RowOf<'asks'>;
      const ask: StoredAsk = {
        askId: a.ask_id, accountId: a.account_id, contactId: a.contact_id, dealId: a.deal_id, askType: a.ask_type, status: a.status,
        proposedAt: a.proposed_at!, sentAt: a.sent_at, acceptedAt: a.accepted_at, declinedAt: a.declined_at, noResponseAt: a.no_response_at,
        completedAt: a.completed_at, cancelledAt: a.cancelled_at, source: 'import', runKey: null, taskId: null, crmAskId: null,
        outcomeNote: a.outcome_note, criteriaVersion: null, readinessScore: null, details: {},
      };
      const derived = statusOn(ask as Ask, '9999-12-31');
      if (derived !== a.status) {
        return { column: 'status', message: `is ${a.status} but the step dates say ${derived}: give the date of each step the ask went through (e.g. completed_at for completed)` };
      }
      ds.asks.push(ask);
      return null;
    }
    case 'consents': {
      const c = r as RowOf<'consents'>;
      ds.consents.push({ consentId: c.consent_id, accountId: c.account_id, contactId: c.contact_id, scope: c.scope, grantedOn: c.granted_on, evidence: c.evidence, expiresOn: c.expires_on, revokedOn: c.revoked_on });
      return null;
    }
    case 'deals': {
      const d = r as RowOf<'deals'>;
      ds.deals.push({ dealId: d.deal_id, name: d.name, accountId: d.account_id, ownerId: d.owner_id, amount: d.amount, stage: d.stage, closeDate: d.close_date, industry: d.industry, region: d.region, sizeBand: d.size_band, products: d.products });
      return null;
    }
  }
  return null;
}
