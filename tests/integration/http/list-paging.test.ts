import request from 'supertest';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { StoredAsk } from '../../../backend/src/store/asks-repo';
import type { Db } from '../../../backend/src/store/db';
import { buildAccount, buildAsk, OWNER } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// List routes answer pages with a total, instead of silently stopping at the first 200 rows.

const stored = (askId: string, accountId: string, open = false): StoredAsk => ({
  ...buildAsk({ askId, accountId, contactId: null, status: open ? 'proposed' : 'cancelled', sentAt: null, acceptedAt: null, completedAt: null, cancelledAt: open ? null : '2025-06-03T10:00:00.000Z' }),
  source: 'import',
  runKey: null,
  taskId: null,
  crmAskId: null,
  outcomeNote: null,
  criteriaVersion: null,
  readinessScore: null,
  details: {},
});

describe('list routes page', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb('pglite');
    const ds = emptyDataset();
    ds.owners.push(OWNER);
    for (const id of ['acc-a', 'acc-b']) {
      const { healthHistory: _h, ...account } = buildAccount({ accountId: id });
      ds.accounts.push(account);
    }
    // 205 asks: more than the 200 a single answer used to stop at.
    for (let i = 0; i < 205; i++) ds.asks.push(stored(`ask-${String(i).padStart(3, '0')}`, i < 200 ? 'acc-a' : 'acc-b', i < 3));
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
  });
  afterAll(async () => db.close());

  it('when GET /api/v1/asks is paged with limit and cursor, then every ask comes exactly once, with the total, and the last page has no next cursor', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const first = await request(app).get('/api/v1/asks').expect(200);
    expect(first.body.asks).toHaveLength(200);
    expect(first.body.total).toBe(205);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(app).get('/api/v1/asks').query({ limit: 60, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.total).toBe(205);
      seen.push(...res.body.asks.map((a: { askId: string }) => a.askId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(205);
    expect(new Set(seen).size).toBe(205);
    const filtered = await request(app).get('/api/v1/asks').query({ accountId: 'acc-b', limit: 2 }).expect(200);
    expect(filtered.body.total).toBe(5);
    expect(filtered.body.asks.map((a: { accountId: string }) => a.accountId)).toEqual(['acc-b', 'acc-b']);
  });

  it('when the cursor was not handed out by the list, or limit is over 1000, then 400 VALIDATION_FAILED naming it', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const bad = await request(app).get('/api/v1/asks').query({ cursor: 'not-a-cursor' }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^cursor: is not a cursor from this list/) });
    expect((await request(app).get('/api/v1/asks').query({ limit: 5000 }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when an account history is paged, then its entries come once each, in order, with the total', async () => {
    const app = createApp({ ctx: await testContext(db) });
    for (const askId of ['ask-000', 'ask-001', 'ask-002']) await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'cancelled' }).expect(200);
    const all = await request(app).get('/api/v1/accounts/acc-a/history').query({ limit: 1000 }).expect(200);
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    expect(all.body.entries).toHaveLength(all.body.total);
    expect(all.body.nextCursor).toBeNull();
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(app).get('/api/v1/accounts/acc-a/history').query({ limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.total).toBe(all.body.total);
      seqs.push(...res.body.entries.map((e: { seq: number }) => e.seq));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seqs).toEqual(all.body.entries.map((e: { seq: number }) => e.seq));
  });
});
