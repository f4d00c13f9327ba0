import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { statusOn } from '../domain/ask-history';
import type { Ask } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import { DATASET_KINDS, emptyDataset, type Dataset, type DatasetKind } from './dataset';
import { COLUMNS, ROW_SCHEMAS, type RowOf } from './row-schemas';
import { jsonRowLines } from './row-lines';

// Reads one CSV or JSON file into a Dataset, or lists every bad row and column. Nothing is
// written here: the caller applies the dataset in one transaction only when it is clean.

export interface ImportProblem {
  kind: DatasetKind;
  /** 1-based data row (the CSV header is not counted); null for file-level problems. */
  row: number | null;
  /** The file's line, as an editor or a spreadsheet numbers it (a CSV header is line 1). */
  line?: number | null;
  column: string | null;
  message: string;
}

const where = (p: ImportProblem) => (p.line ? ` line ${p.line}` : p.row !== null ? ` row ${p.row}` : '');

export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ImportProblem[],
  ) {
    super(
      `${file}: nothing was imported, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems
          .slice(0, 200)
          .map((p) => `  - ${p.kind}${where(p)}${p.column ? `, column ${p.column}` : ''}: ${p.message}`)
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

/** Reads the file; throws an ImportError listing every problem of its rows' own columns. */
export function readImportFile(file: string, kindOption?: DatasetKind): Dataset {
  const { ds, problems } = readImportFileChecked(file, kindOption);
  if (problems.length) throw new ImportError(file, problems);
  return ds;
}

interface SourceRows {
  rows: unknown[];
  /** The line each row starts on. */
  lines: number[];
}

/**
 * Reads the file into the rows that are well-formed, and lists the problems of every other row
 * (and of the file); the caller adds the reference problems and refuses the file if any.
 * Only a file that cannot be read as CSV or JSON at all throws.
 */
export function readImportFileChecked(file: string, kindOption?: DatasetKind): { ds: Dataset; problems: ImportProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImportError(file, [{ kind: kindOption ?? 'accounts', row: null, column: null, message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const ext = extname(file).toLowerCase();
  const byKind = new Map<DatasetKind, SourceRows>();
  const problems: ImportProblem[] = [];
  const fileProblem = (message: string, kind: DatasetKind = kindOption ?? 'accounts') => new ImportError(file, [{ kind, row: null, column: null, message }]);

  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw fileProblem(`not valid JSON: ${(error as Error).message}`);
    }
    const lines = jsonRowLines(text);
    if (Array.isArray(doc)) {
      const kind = kindOption ?? kindFromFileName(file);
      if (!kind) throw fileProblem(`a JSON array needs its kind: name the file after one of ${DATASET_KINDS.join(', ')} or pass --kind`);
      byKind.set(kind, { rows: doc, lines: lines.get(null) ?? [] });
    } else if (doc && typeof doc === 'object') {
      for (const [key, rows] of Object.entries(doc)) {
        if (!(DATASET_KINDS as readonly string[]).includes(key)) throw fileProblem(`unknown section "${key}"; sections are ${DATASET_KINDS.join(', ')}`);
        if (!Array.isArray(rows)) throw fileProblem(`section "${key}" must be an array of rows`, key as DatasetKind);
        byKind.set(key as DatasetKind, { rows, lines: lines.get(key) ?? [] });
      }
    } else {
      throw fileProblem('JSON must be an array of rows or an object of sections');
    }
    // JSON keys are columns: a key the kind does not have (a typo such as helth_score) is
    // refused as a CSV header would be, instead of being silently dropped.
    for (const [kind, { rows, lines: rowLines }] of byKind) {
      rows.forEach((raw, index) => {
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
          problems.push({ kind, row: index + 1, line: rowLines[index] ?? null, column: null, message: 'must be an object of column: value' });
          return;
        }
        for (const key of Object.keys(raw)) {
          if (!COLUMNS[kind].includes(key)) problems.push({ kind, row: index + 1, line: rowLines[index] ?? null, column: key, message: `unknown column; ${kind} columns are ${COLUMNS[kind].join(', ')}` });
        }
      });
    }
  } else if (ext === '.csv') {
    const kind = kindOption ?? kindFromFileName(file);
    if (!kind) throw fileProblem(`cannot tell what this CSV holds: name the file after one of ${DATASET_KINDS.join(', ')} or pass --kind`);
    let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
    try {
      parsed = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, info: true });
    } catch (error) {
      throw fileProblem(`not valid CSV: ${(error as Error).message}`, kind);
    }
    const header = text.split(/\r?\n/, 1)[0].replace(/^\uFEFF/, '').split(',').map((h) => h.trim().toLowerCase().replace(/^"|"$/g, ''));
    const unknown = header.filter((h) => !COLUMNS[kind].includes(h));
    for (const column of unknown) problems.push({ kind, row: null, line: 1, column, message: `unknown column; ${kind} columns are ${COLUMNS[kind].join(', ')}` });
    byKind.set(kind, {
      rows: parsed.map((p) => p.record),
      // csv-parse counts the line a record ends on; a quoted cell may span lines.
      lines: parsed.map((p) => p.info.lines - Object.values(p.record).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0)),
    });
  } else {
    throw fileProblem(`unsupported file type "${ext || '(none)'}": use .csv or .json`);
  }
  const ds = toDataset(byKind, problems);
  return { ds, problems: sortProblems(problems) };
}

export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => DATASET_KINDS.indexOf(a.kind) - DATASET_KINDS.indexOf(b.kind) || (a.row ?? 0) - (b.row ?? 0));
}

// A NUL cannot be stored in a Postgres text column, and half of a UTF-16 pair is no character:
// both are refused by name instead of failing the whole import inside the database.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function badCells(raw: unknown): Array<{ column: string; message: string }> {
  if (!raw || typeof raw !== 'object') return [];
  const out: Array<{ column: string; message: string }> = [];
  const visit = (value: unknown, column: string) => {
    if (typeof value === 'string') {
      if (NUL.test(value)) out.push({ column, message: 'contains a NUL character (\\u0000), which no field can hold' });
      else if (LONE_SURROGATE.test(value)) out.push({ column, message: 'contains a lone UTF-16 surrogate, which is not a character' });
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, column));
  };
  for (const [column, value] of Object.entries(raw)) visit(value, column);
  return out;
}

function toDataset(byKind: Map<DatasetKind, SourceRows>, problems: ImportProblem[]): Dataset {
  const ds = emptyDataset();
  ds.present = {};
  ds.lines = {};
  for (const [kind, { rows }] of byKind) {
    const cols = new Set<string>();
    for (const row of rows) if (row && typeof row === 'object') for (const k of Object.keys(row)) if (COLUMNS[kind].includes(k)) cols.add(k);
    ds.present[kind] = [...cols];
  }
  for (const [kind, { rows, lines }] of byKind) {
    const seen = new Map<string, number>();
    const kept: number[] = (ds.lines[kind] = []);
    rows.forEach((raw, index) => {
      const row = index + 1;
      const line = lines[index] ?? null;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return; // reported with the keys
      const bad = badCells(raw);
      if (bad.length) {
        for (const b of bad) problems.push({ kind, row, line, column: b.column, message: b.message });
        return;
      }
      const parsed = ROW_SCHEMAS[kind].safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push({ kind, row, line, column: issue.path.length ? issue.path.join('.') : null, message: issue.message });
        return;
      }
      const id = rowKey(kind, parsed.data as never);
      if (seen.has(id)) {
        problems.push({ kind, row, line, column: null, message: `duplicates row ${seen.get(id)} (${id})` });
        return;
      }
      seen.set(id, row);
      const problem = addRow(ds, kind, parsed.data as never);
      if (problem) problems.push({ kind, row, line, column: problem.column, message: problem.message });
      else kept.push(line ?? 0);
    });
  }
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
