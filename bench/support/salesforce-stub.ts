import { createServer, type Server } from 'node:http';

// A local stand-in for a Salesforce org's REST API, enough for the scan: SOQL over Account
// (pages of the requested batch size, nextRecordsUrl), sObject collections (create, update,
// upsert by external id; at most 200 records, as Salesforce enforces). Accounts are generated
// on the fly from their index, so the stub's memory does not grow with the org either. Tasks it
// creates are kept with their fields, so a SOQL query on Task by Advocacy_Key__c (the create-once
// lookup) answers as the org would; `beforeCreateAnswer` runs after a Task collection is stored
// and before it is answered (a test kills the caller there).
//
// For the incremental refresh: every Account and Contact has a SystemModstamp (a fixed day
// before any test, unless edited); `edit.account`/`edit.contact` and Account updates through a
// collection stamp it with the stub's `clock`. SOQL `Id IN (...)` on Account answers those
// accounts (with contacts when the query asks for them), and `SystemModstamp >= t` on Account
// or Contact answers the matching records in Id order, in pages of the batch size.
// `faults` answers matching requests with an error a number of times (then they pass).

export interface StubStats {
  calls: number;
  queryCalls: number;
  collectionCalls: number;
  records: number;
  rejected: number;
  /** Account records updated through collections (readiness write-backs). */
  accountUpdates: number;
  /** Queries by what they asked: 'portfolio page', 'changed accounts', 'changed contacts', 'accounts by id', 'modstamps by id'. */
  byQuery: Record<string, number>;
}

const pad = (n: number) => String(n).padStart(12, '0');
const id = (prefix: string, n: number) => `${prefix}${pad(n)}AAA`.slice(0, 18);

function accountRecord(i: number) {
  const health = 40 + ((i * 37) % 61);
  const contacts = 1 + (i % 3);
  return {
    attributes: { type: 'Account' },
    Id: id('001', i),
    Name: `Account ${i}`,
    OwnerId: id('005', i % 97),
    Owner: { Name: `CSM ${i % 97}`, Email: null },
    Health_Score__c: health,
    Customer_Since__c: `20${18 + (i % 8)}-0${1 + (i % 9)}-15`,
    Strategic_Account__c: i % 23 === 0,
    Industry: ['FinTech', 'SaaS', 'Retail', 'Healthcare'][i % 4],
    BillingCountry: ['Germany', 'United States', 'Japan'][i % 3],
    Contacts: {
      totalSize: contacts,
      done: true,
      records: Array.from({ length: contacts }, (_, k) => ({
        attributes: { type: 'Contact' },
        Id: id('003', i * 4 + k),
        AccountId: id('001', i),
        FirstName: 'Dana',
        LastName: `Reyes ${k}`,
        Title: ['VP Engineering', 'Director of Operations', 'Engineer'][k % 3],
        HasOptedOutOfEmail: false,
        NPS_Score__c: 6 + ((i + k) % 5),
        NPS_Date__c: '2026-09-15',
      })),
    },
  };
}

export interface StoredTask {
  Id: string;
  fields: Record<string, unknown>;
}

export interface SalesforceStub {
  server: Server;
  url: string;
  stats: StubStats;
  tasks: Map<string, StoredTask>;
  /** Tasks by their Advocacy_Key__c. */
  tasksByKey(): Map<string, StoredTask[]>;
  /** A user's edit in the org: the record's SystemModstamp becomes the stub's clock. */
  edit: { account(index: number): void; contact(accountIndex: number, k: number): void };
  accountId(index: number): string;
}

export interface StubFault {
  /** Matched against the request's path and decoded query. */
  match: RegExp;
  status: number;
  body: unknown;
  times: number;
}

export interface SalesforceStubOptions {
  beforeCreateAnswer?: (tasks: StoredTask[]) => Promise<void>;
  /** The org's clock for SystemModstamp (default: the real clock). */
  clock?: () => number;
  faults?: StubFault[];
}

const UNTOUCHED = '2026-01-01T00:00:00.000+0000';
const sfStamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const stampMs = (stamp: string) => Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

export function startSalesforceStub(accounts: number, options: SalesforceStubOptions = {}): Promise<SalesforceStub> {
  const stats: StubStats = { calls: 0, queryCalls: 0, collectionCalls: 0, records: 0, rejected: 0, accountUpdates: 0, byQuery: {} };
  const clock = options.clock ?? Date.now;
  const faults = options.faults ?? [];
  const accountStamps = new Map<number, string>();
  const contactStamps = new Map<string, { stamp: string; accountId: string }>();
  const indexOf = (accountId: string) => (/^001(\d{12})AAA$/.test(accountId) ? Number(accountId.slice(3, 15)) : -1);
  const edit = {
    account: (i: number) => void accountStamps.set(i, sfStamp(clock())),
    contact: (i: number, k: number) => void contactStamps.set(id('003', i * 4 + k), { stamp: sfStamp(clock()), accountId: id('001', i) }),
  };
  /** Query results kept for their nextRecordsUrl: token -> records. */
  const cursors = new Map<string, unknown[]>();
  let nextCursor = 1;
  const answerList = (records: unknown[], size: number, offset = 0, token = '') => {
    const end = Math.min(records.length, offset + size);
    if (!token && end < records.length) cursors.set((token = String(nextCursor++)), records);
    return { totalSize: records.length, done: end >= records.length, nextRecordsUrl: end >= records.length ? undefined : `/services/data/v62.0/query/01gq-${token}-${end}-${size}`, records: records.slice(offset, end) };
  };
  const count = (what: string) => {
    stats.queryCalls++;
    stats.byQuery[what] = (stats.byQuery[what] ?? 0) + 1;
  };
  /** The queries of the incremental refresh and of named accounts; null for anything else. */
  const soqlAnswer = (soql: string, size: number) => {
    const inList = /FROM Account WHERE Id IN \((.*)\)/.exec(soql);
    if (inList) {
      const ids = [...inList[1].matchAll(/'([^']+)'/g)].map((m) => m[1]).filter((x) => indexOf(x) >= 0 && indexOf(x) < accounts);
      const full = /FROM Contacts\)/.test(soql);
      count(full ? 'accounts by id' : 'modstamps by id');
      return answerList(ids.map((x) => (full ? accountRecord(indexOf(x)) : { attributes: { type: 'Account' }, Id: x, SystemModstamp: accountStamps.get(indexOf(x)) ?? UNTOUCHED })), size);
    }
    const since = /FROM (Account|Contact) WHERE SystemModstamp >= (\S+)/.exec(soql);
    if (!since) return null;
    const from = Date.parse(since[2]);
    if (since[1] === 'Account') {
      count('changed accounts');
      const records = [];
      if (stampMs(UNTOUCHED) >= from) for (let i = 0; i < accounts; i++) records.push({ attributes: { type: 'Account' }, Id: id('001', i), SystemModstamp: accountStamps.get(i) ?? UNTOUCHED });
      else for (const [i, stamp] of [...accountStamps].sort((a, b) => a[0] - b[0])) if (stampMs(stamp) >= from) records.push({ attributes: { type: 'Account' }, Id: id('001', i), SystemModstamp: stamp });
      return answerList(records, size);
    }
    count('changed contacts');
    if (stampMs(UNTOUCHED) >= from) throw new Error('the stub lists changed contacts only after its untouched day');
    const records = [...contactStamps].filter(([, c]) => stampMs(c.stamp) >= from).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([contactId, c]) => ({ attributes: { type: 'Contact' }, Id: contactId, AccountId: c.accountId }));
    return answerList(records, size);
  };
  const tasks = new Map<string, StoredTask>();
  let nextTask = 1;
  const storeTask = (fields: Record<string, unknown>): StoredTask => {
    const task = { Id: id('00T', nextTask++), fields };
    tasks.set(task.Id, task);
    return task;
  };
  /** `SELECT ... FROM Task WHERE Advocacy_Key__c IN ('a', 'b')`, as the adapter's lookup asks. */
  const taskQuery = (soql: string) => {
    const inList = /FROM Task WHERE Advocacy_Key__c IN \((.*)\)/.exec(soql);
    if (!inList) return { totalSize: 0, done: true, records: [] };
    const keys = [...inList[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
    const records = [...tasks.values()].filter((t) => keys.includes(String(t.fields.Advocacy_Key__c))).map((t) => ({ attributes: { type: 'Task' }, Id: t.Id, Advocacy_Key__c: t.fields.Advocacy_Key__c }));
    return { totalSize: records.length, done: true, records };
  };
  const server = createServer((req, res) => {
    stats.calls++;
    const url = new URL(req.url ?? '/', 'http://stub');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'sforce-limit-info': `api-usage=${stats.calls}/5000000` });
      res.end(JSON.stringify(body));
    };
    const fault = faults.find((f) => f.times > 0 && f.match.test(`${url.pathname} ${url.searchParams.get('q') ?? ''}`));
    if (fault) {
      fault.times--;
      return send(fault.status, fault.body);
    }
    const batch = Number(/batchSize=(\d+)/.exec(String(req.headers['sforce-query-options']))?.[1] ?? 2000);
    if (req.method === 'GET' && url.pathname === '/services/data/v62.0/query') {
      const answer = soqlAnswer(url.searchParams.get('q') ?? '', batch);
      if (answer) return send(200, answer);
    }
    const kept = /^\/services\/data\/v62\.0\/query\/01gq-(\d+)-(\d+)-(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && kept && cursors.has(kept[1])) {
      stats.queryCalls++;
      return send(200, answerList(cursors.get(kept[1])!, Number(kept[3]), Number(kept[2]), kept[1]));
    }
    const page = (offset: number, size: number) => {
      count('portfolio page');
      const end = Math.min(accounts, offset + size);
      const records = [];
      for (let i = offset; i < end; i++) records.push(accountRecord(i));
      send(200, { totalSize: accounts, done: end >= accounts, nextRecordsUrl: end >= accounts ? undefined : `/services/data/v62.0/query/01g-${end}-${size}`, records });
    };
    if (req.method === 'GET' && url.pathname === '/services/data/v62.0/query' && /\bFROM Task\b/.test(url.searchParams.get('q') ?? '')) {
      stats.queryCalls++;
      return send(200, taskQuery(url.searchParams.get('q')!));
    }
    if (req.method === 'POST' && url.pathname === '/services/data/v62.0/sobjects/Task') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => send(201, { id: storeTask(JSON.parse(raw) as Record<string, unknown>).Id, success: true, errors: [] }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/services/data/v62.0/sobjects/Contact/deleted/') {
      return send(200, { deletedRecords: [], earliestDateAvailable: '2026-01-01T00:00:00.000+0000', latestDateCovered: url.searchParams.get('end') ?? '2026-01-01T00:00:00.000+0000' });
    }
    if (req.method === 'GET' && url.pathname === '/services/data/v62.0/query') {
      const size = Number(/batchSize=(\d+)/.exec(String(req.headers['sforce-query-options']))?.[1] ?? 2000);
      return page(0, size);
    }
    const more = /^\/services\/data\/v62\.0\/query\/01g-(\d+)-(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && more) return page(Number(more[1]), Number(more[2]));
    if (url.pathname.startsWith('/services/data/v62.0/composite/sobjects')) {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        stats.collectionCalls++;
        const { records } = JSON.parse(raw) as { records: unknown[] };
        if (records.length > 200) {
          stats.rejected++;
          return send(400, [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' }]);
        }
        const base = stats.records;
        stats.records += records.length;
        const typed = records as Array<Record<string, unknown> & { attributes?: { type?: string } }>;
        if (req.method === 'PATCH' && url.pathname === '/services/data/v62.0/composite/sobjects') {
          for (const r of typed) {
            if (r.attributes?.type !== 'Account') continue;
            stats.accountUpdates++;
            if (indexOf(String(r.id)) >= 0) accountStamps.set(indexOf(String(r.id)), sfStamp(clock()));
          }
          return send(200, typed.map((r) => ({ id: r.id, success: true, errors: [] })));
        }
        if (req.method === 'POST' && typed.every((r) => r.attributes?.type === 'Task')) {
          const made = typed.map(({ attributes: _type, ...fields }) => storeTask(fields));
          void (async () => {
            await options.beforeCreateAnswer?.(made);
            send(200, made.map((t) => ({ id: t.Id, success: true, errors: [] })));
          })();
          return;
        }
        send(200, records.map((_, k) => ({ id: id('a0X', base + k), success: true, errors: [] })));
      });
      return;
    }
    send(404, [{ errorCode: 'NOT_FOUND', message: `no stub for ${req.method} ${url.pathname}` }]);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const tasksByKey = () => {
      const out = new Map<string, StoredTask[]>();
      for (const t of tasks.values()) {
        const key = t.fields.Advocacy_Key__c;
        if (typeof key === 'string') out.set(key, [...(out.get(key) ?? []), t]);
      }
      return out;
    };
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, stats, tasks, tasksByKey, edit, accountId: (i) => id('001', i) });
  }));
}
