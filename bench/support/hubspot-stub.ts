import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// A local stand-in for HubSpot's CRM API, enough for the portfolio scan and the webhook drain
// through the HubSpot adapter: company list pages, company reads by id and in batches (100 per
// call; ids it does not have answered as HubSpot does, 207 with OBJECT_NOT_FOUND naming them),
// v4 association batch reads, contact batch reads, owners, task /
// custom-object / company batch writes, the ask schema. It enforces HubSpot's batch limits
// (100 per read or write, 1,000 per association read) and the rolling rate limit (190 requests
// per 10 s, answered with 429 TEN_SECONDLY_ROLLING beyond it). Time can be scaled down so the
// bench stays short: with scale 10 the window is 1 s of real time. Companies are generated from
// their index, so the stub's memory does not grow with the portfolio. Tasks and notes it creates
// are kept (properties and the companies they were associated with on create), so the
// create-once lookup can read them back as HubSpot serves them: v4 association batch reads from
// companies to tasks or notes (500 per company a page, as HubSpot pages), object batch reads
// with the requested properties, and a note search by CONTAINS_TOKEN (the audit checkpoints).
// `beforeCreateAnswer` runs after a create is stored and before it is answered: a test kills
// the calling process there, as if it died between HubSpot's answer and its own store write.
// Each access token is its own portal, with its own rolling window, figures (byPortal) and
// company-to-object associations, as HubSpot keeps each account apart; the tasks and asks
// created are counted per idempotency key, so a duplicate shows. `hold` lets a test pause a
// request (e.g. a page read) at a point it chooses.
// Records change: `edit` sets properties of a company or contact as a user would (and a
// company batch update as the app does), stamping hs_lastmodifieddate with the stub's clock
// (`clock`, HubSpot's now; Date.now by default). The CRM search (POST .../companies/search and
// .../contacts/search) answers as HubSpot does: filterGroups (OR of ANDed filters: EQ, NEQ, GT,
// GTE, LT, LTE, HAS_PROPERTY, NOT_HAS_PROPERTY; dates compared in epoch ms), one sort, `after`
// paging, at most 200 per page (400 above), no page past the 10,000th result (400), and 5
// searches per second per account (429 beyond it, scaled like the 10-second window), counted
// against the 10-second limit too. v4 association reads from contacts to companies are answered.

export interface HubSpotStubOptions {
  companies: number;
  /** HubSpot seconds per real second (1 = real time). */
  scale: number;
  perWindow?: number;
  /** Awaited before a request is served (after the rate check), with its kind, e.g. `GET /crm/v3/objects/companies`. */
  beforeRequest?: (kind: string) => Promise<void>;
  /** Awaited after a task/note create is stored, before the answer goes out. */
  beforeCreateAnswer?: (objectType: 'tasks' | 'notes', created: StoredObject[]) => Promise<void>;
  /** Called before a request is answered (after it counted against the limit); the answer waits for it. */
  hold?: (request: { method: string; path: string; query: URLSearchParams; token: string }) => Promise<void> | void;
  /** HubSpot's now (epoch ms) for modification times; Date.now by default. */
  clock?: () => number;
}

export interface HubSpotStubPortalStats {
  calls: number;
  rejected429: number;
  /** performance.now() of the first and last answered request. */
  firstAt: number;
  lastAt: number;
  /** performance.now() of every answered request (for rates over time). */
  times: number[];
  /** Tasks and asks created, per idempotency key (more than 1: a duplicate in HubSpot). */
  created: Map<string, number>;
}

export interface StoredObject {
  id: string;
  properties: Record<string, string>;
  /** Company ids the record was associated with on create. */
  companies: string[];
}

export interface HubSpotStubStats {
  calls: number;
  rejected429: number;
  byKind: Record<string, number>;
  records: { tasks: number; asks: number; companyUpdates: number; contactsRead: number; companiesRead: number; searched: number };
  /** Batch sizes over HubSpot's limits (should stay 0: HubSpot would answer 400). */
  oversized: number;
  /** Per access token (one per portal). */
  byPortal: Map<string, HubSpotStubPortalStats>;
}

const COMPANY_BASE = 1_000_000;
const CONTACT_BASE = 50_000_000;
const OWNERS = 97;
const AT = '2026-11-01T10:00:00.000Z';

export const contactsOf = (i: number) => 1 + (i % 3);
export const totalContacts = (companies: number) => {
  let n = 0;
  for (let i = 0; i < companies; i++) n += contactsOf(i);
  return n;
};

/** Properties changed after creation, and when (epoch ms): a user's edit or the app's write. */
interface Edit {
  properties: Record<string, string>;
  modifiedAt: number;
}

const AT_MS = Date.parse(AT);

function withEdit<T extends { id: string; properties: object }>(record: T, edit: Edit | undefined): Omit<T, 'properties' | 'updatedAt'> & { properties: Record<string, string>; updatedAt: string } {
  const modifiedAt = new Date(edit?.modifiedAt ?? AT_MS).toISOString();
  return { ...record, properties: { ...(record.properties as Record<string, string>), ...(edit?.properties ?? {}), hs_lastmodifieddate: modifiedAt }, updatedAt: modifiedAt };
}

function companyRecord(i: number) {
  const id = String(COMPANY_BASE + i);
  return {
    id,
    properties: {
      hs_object_id: id,
      name: `Company ${i}`,
      hubspot_owner_id: String(100 + (i % OWNERS)),
      health_score: String(40 + ((i * 37) % 61)),
      closedate: `20${18 + (i % 8)}-0${1 + (i % 9)}-15T00:00:00.000Z`,
      industry: ['FINANCIAL_SERVICES', 'COMPUTER_SOFTWARE', 'RETAIL', 'HOSPITAL_HEALTH_CARE'][i % 4],
      country: ['Germany', 'United States', 'Japan'][i % 3],
    },
    createdAt: AT,
    updatedAt: AT,
    archived: false,
  };
}

function contactRecord(id: number) {
  const n = id - CONTACT_BASE;
  const i = Math.floor(n / 4);
  const k = n % 4;
  return {
    id: String(id),
    properties: {
      hs_object_id: String(id),
      firstname: 'Dana',
      lastname: `Reyes ${k}`,
      jobtitle: ['VP Engineering', 'Director of Operations', 'Engineer'][k % 3],
      nps_score: String(6 + ((i + k) % 5)),
      nps_date: '2026-09-15',
      hs_email_optout: 'false',
    },
    createdAt: AT,
    updatedAt: AT,
    archived: false,
  };
}

// A body that is not JSON (OAuth's form-encoded token requests, which the stub does not serve)
// reads as empty and gets the stub's 404, instead of ending the stub.
const readBody = (req: IncomingMessage) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
  });

/** The key at the end of a task body (`[advocacy-loop KEY]`). */
const keyOf = (body: string | undefined) => /\[advocacy-loop ([^\]]+)\]/.exec(body ?? '')?.[1] ?? null;

export interface HubSpotStub {
  server: Server;
  url: string;
  stats: HubSpotStubStats;
  windowMs: number;
  /** Every task created, by the idempotency key at the end of its body. */
  tasksByKey(): Map<string, StoredObject[]>;
  objects: { tasks: Map<string, StoredObject>; notes: Map<string, StoredObject> };
  /** A user's edit of company `index` (0-based) or of contact `contactId`, stamped with the stub's clock. */
  edit: { company(index: number, properties: Record<string, string>): void; contact(contactId: string, properties: Record<string, string>): void };
  /** Company `index`'s HubSpot id, and the ids of its contacts. */
  idsOf(index: number): { companyId: string; contactIds: string[] };
}

const ASSOCIATION_PAGE = 500;

export const SEARCH_PER_SECOND = 5;
export const SEARCH_MAX_RESULTS = 10_000;
export const SEARCH_PAGE_MAX = 200;

type Filter = { propertyName: string; operator: string; value?: string };

/** A property value as HubSpot's search compares it: numbers and dates (ISO or ms) as numbers. */
function comparable(v: string | null | undefined): number | string | null {
  if (v === null || v === undefined || v === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return Date.parse(v);
  return v.toLowerCase();
}

function matches(props: Record<string, string>, f: Filter): boolean {
  const have = comparable(props[f.propertyName]);
  if (f.operator === 'HAS_PROPERTY') return have !== null;
  if (f.operator === 'NOT_HAS_PROPERTY') return have === null;
  const want = comparable(f.value);
  if (have === null || want === null) return f.operator === 'NEQ' && have !== want;
  switch (f.operator) {
    case 'EQ': return have === want;
    case 'NEQ': return have !== want;
    case 'GT': return have > want;
    case 'GTE': return have >= want;
    case 'LT': return have < want;
    case 'LTE': return have <= want;
    default: throw new Error(`stub search has no operator ${f.operator}`);
  }
}

export function startHubSpotStub(options: HubSpotStubOptions): Promise<HubSpotStub> {
  const perWindow = options.perWindow ?? 190;
  const windowMs = 10_000 / options.scale;
  const clock = options.clock ?? Date.now;
  const edits = { companies: new Map<number, Edit>(), contacts: new Map<number, Edit>() };
  const edit = (type: 'companies' | 'contacts', key: number, properties: Record<string, string>) => {
    const before = edits[type].get(key);
    edits[type].set(key, { properties: { ...(before?.properties ?? {}), ...properties }, modifiedAt: clock() });
  };
  const company = (i: number) => withEdit(companyRecord(i), edits.companies.get(i));
  const contact = (id: number) => withEdit(contactRecord(id), edits.contacts.get(id));
  const searchArrivals = new Map<string, number[]>();
  const stats: HubSpotStubStats = { calls: 0, rejected429: 0, byKind: {}, records: { tasks: 0, asks: 0, companyUpdates: 0, contactsRead: 0, companiesRead: 0, searched: 0 }, oversized: 0, byPortal: new Map() };
  const arrivalsOf = new Map<string, number[]>();
  /** Per portal (token): each advocacy ask's ask_id (a unique property) and its object id. */
  const askIdsOf = new Map<string, Map<string, string>>();
  let nextObjectId = 900_000_000;
  const objects = { tasks: new Map<string, StoredObject>(), notes: new Map<string, StoredObject>() };
  const companyIndex = { tasks: new Map<string, string[]>(), notes: new Map<string, string[]>() };
  // Associations are per portal (the same company ids exist in every portal of the bench).
  const store = (type: 'tasks' | 'notes', input: Record<string, unknown>, token: string): StoredObject => {
    const id = String(nextObjectId++);
    const props = Object.fromEntries(Object.entries((input.properties ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const links = ((input.associations ?? []) as Array<{ to: { id: string | number }; types: Array<{ associationTypeId: number }> }>)
      .filter((a) => a.types.some((t) => t.associationTypeId === (type === 'tasks' ? 192 : 190)))
      .map((a) => String(a.to.id));
    const record = { id, properties: { ...props, hs_object_id: id }, companies: links };
    objects[type].set(id, record);
    for (const c of links) companyIndex[type].set(`${token}|${c}`, [...(companyIndex[type].get(`${token}|${c}`) ?? []), id]);
    return record;
  };
  const answerObject = (r: StoredObject, traceId: unknown, wanted?: string[]) => ({
    id: r.id,
    properties: wanted ? Object.fromEntries(wanted.map((k) => [k, r.properties[k] ?? null])) : r.properties,
    ...(traceId ? { objectWriteTraceId: traceId } : {}),
    createdAt: AT,
    updatedAt: AT,
    archived: false,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const now = performance.now();
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    let portal = stats.byPortal.get(token);
    if (!portal) stats.byPortal.set(token, (portal = { calls: 0, rejected429: 0, firstAt: now, lastAt: now, times: [], created: new Map() }));
    let arrivals = arrivalsOf.get(token);
    if (!arrivals) arrivalsOf.set(token, (arrivals = []));
    while (arrivals.length && now - arrivals[0] >= windowMs) arrivals.shift();
    if (arrivals.length >= perWindow) {
      stats.rejected429++;
      portal.rejected429++;
      send(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'stub', policyName: 'TEN_SECONDLY_ROLLING', groupName: 'publicapi:stub' });
      req.resume();
      return;
    }
    arrivals.push(now);
    stats.calls++;
    portal.calls++;
    portal.lastAt = now;
    portal.times.push(now);
    if (options.hold) await options.hold({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, token });
    const kind = `${req.method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id').replace(/2-\d+/, ':askType')}`;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    await options.beforeRequest?.(kind);
    const body = req.method === 'POST' ? await readBody(req) : {};
    const inputs = (body.inputs ?? []) as Array<Record<string, unknown>>;
    const batch = (limit: number) => {
      if (inputs.length > limit) stats.oversized++;
      return inputs.length <= limit;
    };
    const countCreated = (key: string) => portal.created.set(key, (portal.created.get(key) ?? 0) + 1);

    if (req.method === 'GET' && url.pathname === '/crm/v3/objects/companies') {
      const start = Number(url.searchParams.get('after') ?? 0);
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 10));
      const end = Math.min(options.companies, start + limit);
      const results = [];
      for (let i = start; i < end; i++) results.push(company(i));
      return send(200, { results, ...(end < options.companies ? { paging: { next: { after: String(end), link: `stub?after=${end}` } } } : {}) });
    }
    const known = (id: unknown) => {
      const i = Number(id) - COMPANY_BASE;
      return Number.isInteger(i) && i >= 0 && i < options.companies ? i : null;
    };
    const single = /^\/crm\/v3\/objects\/companies\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && single) {
      const i = known(single[1]);
      return i === null ? send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' }) : send(200, company(i));
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/companies/batch/read') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      stats.records.companiesRead += inputs.length;
      const results = inputs.map(({ id }) => known(id)).filter((i): i is number => i !== null).map(company);
      const missing = inputs.map(({ id }) => String(id)).filter((id) => known(id) === null);
      if (missing.length === 0) return send(200, { status: 'COMPLETE', results, startedAt: AT, completedAt: AT });
      return send(207, { status: 'COMPLETE', results, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }], startedAt: AT, completedAt: AT });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v4/associations/companies/contacts/batch/read') {
      if (!batch(1000)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const results = inputs.map(({ id }) => {
        const i = Number(id) - COMPANY_BASE;
        return { from: { id: String(id) }, to: Array.from({ length: contactsOf(i) }, (_, k) => ({ toObjectId: CONTACT_BASE + i * 4 + k, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] })) };
      });
      return send(200, { status: 'COMPLETE', results, startedAt: AT, completedAt: AT });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/contacts/batch/read') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      stats.records.contactsRead += inputs.length;
      return send(200, { status: 'COMPLETE', results: inputs.map(({ id }) => contact(Number(id))), startedAt: AT, completedAt: AT });
    }
    if (req.method === 'GET' && url.pathname === '/crm/v3/owners/') {
      return send(200, { results: Array.from({ length: OWNERS }, (_, k) => ({ id: String(100 + k), email: `csm${k}@example.com`, firstName: 'CSM', lastName: String(k), type: 'PERSON', userId: 9000 + k, createdAt: AT, updatedAt: AT, archived: false })) });
    }
    if (req.method === 'GET' && url.pathname === '/crm-object-schemas/v3/schemas') {
      return send(200, { results: [{
        id: '123456',
        objectTypeId: '2-123456',
        name: 'advocacy_ask',
        labels: { singular: 'Advocacy Ask', plural: 'Advocacy Asks' },
        requiredProperties: ['ask_name', 'ask_id', 'ask_type', 'status'],
        properties: [],
        associations: [
          { id: '31', fromObjectTypeId: '2-123456', toObjectTypeId: '0-2', name: 'advocacy_ask_to_company' },
          { id: '33', fromObjectTypeId: '2-123456', toObjectTypeId: '0-1', name: 'advocacy_ask_to_contact' },
          { id: '35', fromObjectTypeId: '2-123456', toObjectTypeId: '0-3', name: 'advocacy_ask_to_deal' },
        ],
        createdAt: AT,
        updatedAt: AT,
      }] });
    }
    const objectCreate = /^\/crm\/v3\/objects\/(tasks|notes)\/batch\/create$/.exec(url.pathname);
    if (req.method === 'POST' && objectCreate) {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const type = objectCreate[1] as 'tasks' | 'notes';
      if (type === 'tasks') stats.records.tasks += inputs.length;
      const made = inputs.map((input) => store(type, input, token));
      if (type === 'tasks') for (const [k, input] of inputs.entries()) countCreated(String(input.objectWriteTraceId ?? keyOf(made[k].properties.hs_task_body) ?? ''));
      await options.beforeCreateAnswer?.(type, made);
      return send(201, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results: made.map((r, k) => answerObject(r, inputs[k].objectWriteTraceId)) });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/notes') {
      const made = store('notes', body, token);
      await options.beforeCreateAnswer?.('notes', [made]);
      return send(201, answerObject(made, undefined));
    }
    const objectRead = /^\/crm\/v3\/objects\/(tasks|notes)\/batch\/read$/.exec(url.pathname);
    if (req.method === 'POST' && objectRead) {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const type = objectRead[1] as 'tasks' | 'notes';
      const wanted = (body.properties ?? []) as string[];
      const found = inputs.map(({ id }) => objects[type].get(String(id))).filter((r): r is StoredObject => !!r);
      return send(200, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results: found.map((r) => answerObject(r, undefined, wanted)) });
    }
    const associationRead = /^\/crm\/v4\/associations\/companies\/(tasks|notes)\/batch\/read$/.exec(url.pathname);
    if (req.method === 'POST' && associationRead) {
      if (!batch(1000)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const type = associationRead[1] as 'tasks' | 'notes';
      const results = inputs.map(({ id, after }) => {
        const all = companyIndex[type].get(`${token}|${id}`) ?? [];
        const from = Number(after ?? 0);
        const page = all.slice(from, from + ASSOCIATION_PAGE);
        return {
          from: { id: String(id) },
          to: page.map((toId) => ({ toObjectId: Number(toId), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: type === 'tasks' ? 192 : 190, label: null }] })),
          ...(from + ASSOCIATION_PAGE < all.length ? { paging: { next: { after: String(from + ASSOCIATION_PAGE), link: null } } } : {}),
        };
      });
      return send(200, { status: 'COMPLETE', results, startedAt: AT, completedAt: AT });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/notes/search') {
      const filters = ((body.filterGroups ?? []) as Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>).flatMap((g) => g.filters);
      const hits = [...objects.notes.values()].filter((n) => filters.every((f) => f.operator === 'CONTAINS_TOKEN' && (n.properties[f.propertyName] ?? '').split(/[^A-Za-z0-9_-]+/).includes(f.value)));
      hits.sort((a, b) => (b.properties.hs_timestamp ?? '').localeCompare(a.properties.hs_timestamp ?? ''));
      const limit = Number(body.limit ?? 10);
      return send(200, { total: hits.length, results: hits.slice(0, limit).map((r) => answerObject(r, undefined, (body.properties ?? []) as string[])) });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/2-123456/batch/create') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      // ask_id has a unique value (objects/ defines it so): like HubSpot, a batch holding an
      // ask_id the portal already has is refused whole, and the adapter upserts by ask_id.
      const asks = askIdsOf.get(token) ?? new Map<string, string>();
      askIdsOf.set(token, asks);
      const taken = inputs.map((i) => String(((i.properties ?? {}) as Record<string, unknown>).ask_id ?? '')).filter((id) => id && asks.has(id));
      if (taken.length) return send(400, { status: 'error', message: `Property values were not valid: ask_id ${taken[0]} already has that value`, category: 'VALIDATION_ERROR', errors: [{ message: 'already has that value', code: 'INVALID_UNIQUE_VALUE' }] });
      stats.records.asks += inputs.length;
      const ids = inputs.map(() => String(nextObjectId++));
      for (const [k, input] of inputs.entries()) {
        countCreated(String(input.objectWriteTraceId ?? ''));
        const id = String(((input.properties ?? {}) as Record<string, unknown>).ask_id ?? '');
        if (id) asks.set(id, ids[k]);
      }
      return send(201, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results: inputs.map((input, k) => ({ id: ids[k], properties: input.properties ?? {}, objectWriteTraceId: input.objectWriteTraceId, createdAt: AT, updatedAt: AT, archived: false })) });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/2-123456/batch/upsert') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const asks = askIdsOf.get(token) ?? new Map<string, string>();
      askIdsOf.set(token, asks);
      const results = inputs.map((input) => {
        const askId = String(input.id);
        let id = asks.get(askId);
        if (!id) {
          id = String(nextObjectId++);
          asks.set(askId, id);
          countCreated(String(input.objectWriteTraceId ?? askId));
        }
        return { id, properties: input.properties ?? {}, objectWriteTraceId: input.objectWriteTraceId, createdAt: AT, updatedAt: AT, archived: false, new: false };
      });
      return send(200, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/2-123456/batch/update') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      return send(200, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results: inputs.map((input) => ({ id: input.id, properties: input.properties ?? {}, objectWriteTraceId: input.objectWriteTraceId, createdAt: AT, updatedAt: AT, archived: false })) });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v3/objects/companies/batch/update') {
      if (!batch(100)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      stats.records.companyUpdates += inputs.length;
      // An update is a modification like any other: HubSpot stamps hs_lastmodifieddate and answers that time.
      for (const input of inputs) {
        const i = known(input.id);
        if (i !== null) edit('companies', i, Object.fromEntries(Object.entries((input.properties ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])));
      }
      return send(200, { status: 'COMPLETE', startedAt: AT, completedAt: AT, results: inputs.map((input) => { const i = known(input.id); return { id: input.id, properties: {}, objectWriteTraceId: input.objectWriteTraceId, createdAt: AT, updatedAt: i === null ? AT : company(i).updatedAt }; }) });
    }
    if (req.method === 'POST' && url.pathname === '/crm/v4/associations/contacts/companies/batch/read') {
      if (!batch(1000)) return send(400, { status: 'error', message: 'too many inputs', category: 'VALIDATION_ERROR' });
      const results = inputs.map(({ id }) => ({ from: { id: String(id) }, to: [{ toObjectId: COMPANY_BASE + Math.floor((Number(id) - CONTACT_BASE) / 4), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] }] }));
      return send(200, { status: 'COMPLETE', results, startedAt: AT, completedAt: AT });
    }
    const search = /^\/crm\/v3\/objects\/(companies|contacts)\/search$/.exec(url.pathname);
    if (req.method === 'POST' && search) return answerSearch(search[1] as 'companies' | 'contacts', body, token, send);
    send(404, { status: 'error', message: `stub has no ${req.method} ${url.pathname}`, category: 'OBJECT_NOT_FOUND' });
  };

  /** The CRM search as HubSpot answers it (see the header). */
  const answerSearch = (type: 'companies' | 'contacts', body: Record<string, unknown>, token: string, send: (status: number, body: unknown) => void) => {
    const now = performance.now();
    let recent = searchArrivals.get(token);
    if (!recent) searchArrivals.set(token, (recent = []));
    while (recent.length && now - recent[0] >= 1000 / options.scale) recent.shift();
    if (recent.length >= SEARCH_PER_SECOND) {
      stats.rejected429++;
      return send(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'stub', policyName: 'SECONDLY', groupName: 'search:stub' });
    }
    recent.push(now);
    stats.records.searched++;
    const limit = Number(body.limit ?? 10);
    const after = Number(body.after ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_PAGE_MAX) return send(400, { status: 'error', message: `limit must be 1..${SEARCH_PAGE_MAX}`, category: 'VALIDATION_ERROR' });
    if (after + limit > SEARCH_MAX_RESULTS) return send(400, { status: 'error', message: `This query would page past ${SEARCH_MAX_RESULTS} results; narrow it`, category: 'VALIDATION_ERROR' });
    const groups = ((body.filterGroups ?? []) as Array<{ filters: Filter[] }>).map((g) => g.filters);
    // Records never edited were all last modified at creation: only edited ones can pass a modified-since filter after it.
    const onlyEdited = groups.length > 0 && groups.every((fs) => fs.some((f) => f.propertyName === 'hs_lastmodifieddate' && (f.operator === 'GT' || f.operator === 'GTE') && Number(f.value) > AT_MS));
    const ids = onlyEdited
      ? [...edits[type].keys()]
      : type === 'companies'
        ? Array.from({ length: options.companies }, (_, i) => i)
        : Array.from({ length: options.companies }, (_, i) => Array.from({ length: contactsOf(i) }, (_, k) => CONTACT_BASE + i * 4 + k)).flat();
    const records = ids.map((k) => (type === 'companies' ? company(k) : contact(k))).filter((r) => groups.length === 0 || groups.some((fs) => fs.every((f) => matches(r.properties, f))));
    const sort = ((body.sorts ?? []) as Array<{ propertyName: string; direction?: string }>)[0] ?? { propertyName: 'hs_object_id', direction: 'ASCENDING' };
    const dir = sort.direction === 'DESCENDING' ? -1 : 1;
    records.sort((a, b) => {
      const x = comparable(a.properties[sort.propertyName]);
      const y = comparable(b.properties[sort.propertyName]);
      return (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1) * dir;
    });
    const wanted = ['hs_object_id', 'hs_lastmodifieddate', 'createdate', ...((body.properties ?? []) as string[])];
    const page = records.slice(after, after + limit).map((r) => ({ id: r.id, properties: Object.fromEntries(wanted.map((p) => [p, r.properties[p] ?? null])), createdAt: AT, updatedAt: r.updatedAt, archived: false }));
    const next = after + limit < records.length && after + limit < SEARCH_MAX_RESULTS ? { paging: { next: { after: String(after + limit) } } } : {};
    return send(200, { total: records.length, results: page, ...next });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', message: error.message }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      const tasksByKey = () => {
        const out = new Map<string, StoredObject[]>();
        for (const t of objects.tasks.values()) {
          const key = keyOf(t.properties.hs_task_body);
          if (key) out.set(key, [...(out.get(key) ?? []), t]);
        }
        return out;
      };
      resolve({
        server,
        url: `http://127.0.0.1:${address.port}`,
        stats,
        windowMs,
        tasksByKey,
        objects,
        edit: { company: (i, props) => edit('companies', i, props), contact: (id, props) => edit('contacts', Number(id), props) },
        idsOf: (i) => ({ companyId: String(COMPANY_BASE + i), contactIds: Array.from({ length: contactsOf(i) }, (_, k) => String(CONTACT_BASE + i * 4 + k)) }),
      });
    });
  });
}
