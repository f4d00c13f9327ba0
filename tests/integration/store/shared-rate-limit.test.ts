import { randomBytes } from 'node:crypto';
import { SharedPortalLimiter } from '../../../backend/src/crm/hubspot/shared-portal-limiter';
import { openPostgres, type Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { pausePortalRequests, takeRateSlot } from '../../../backend/src/store/rate-slots';

// One request budget per portal for every process on one PostgreSQL server: several limiters,
// each with its own connections as separate workers have, never let more than the limit start
// within any window, and a 429 seen by one pauses the others.

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('the per-portal rate limit shared through PostgreSQL', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: Db;
  const workers: Db[] = [];
  beforeAll(async () => {
    admin = await openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    for (let i = 0; i < 3; i++) workers.push(await openPostgres(url, { schema, max: 3 }));
    await migrate(workers[0]);
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('when three workers send for one portal at once, then no window holds more than the limit and every call is made', async () => {
    const rate = { perWindow: 10, windowMs: 400, maxConcurrent: 4, marginShare: 0 };
    const starts: number[] = [];
    const limiters = workers.map((db) => new SharedPortalLimiter(db, 'hubspot:1', rate, 1000));
    const other = new SharedPortalLimiter(workers[0], 'hubspot:2', rate, 1000);
    const otherStarts: number[] = [];
    await Promise.all([
      ...limiters.flatMap((l) => Array.from({ length: 12 }, () => l.schedule(async () => void starts.push(Date.now())))),
      ...Array.from({ length: 10 }, () => other.schedule(async () => void otherStarts.push(Date.now()))),
    ]);
    expect(starts).toHaveLength(36);
    starts.sort((a, b) => a - b);
    // A call's slot lives from before it starts until a window after it ends, so the calls
    // starting within any window's length were all holding a slot at once.
    const most = Math.max(...starts.map((t, i) => starts.slice(i).filter((u) => u - t < rate.windowMs).length));
    expect(most).toBeLessThanOrEqual(rate.perWindow);
    expect(limiters.reduce((n, l) => n + l.started, 0)).toBe(36);
    // Another portal has its own budget: its 10 calls fit one window.
    expect(otherStarts).toHaveLength(10);
  });

  it('when one worker met a 429, then the others wait for the pause too', async () => {
    await pausePortalRequests(workers[1], 'hubspot:3', 60_000);
    const grant = await takeRateSlot(workers[2], 'hubspot:3', 10, 1000);
    expect('waitMs' in grant && grant.waitMs).toBeGreaterThan(50_000);
    expect('slotId' in (await takeRateSlot(workers[2], 'hubspot:4', 10, 1000))).toBe(true);
  });

  it('when a worker died holding slots, then they count until their lease ends', async () => {
    for (let i = 0; i < 2; i++) expect('slotId' in (await takeRateSlot(workers[0], 'hubspot:5', 2, 60_000))).toBe(true);
    expect(await takeRateSlot(workers[1], 'hubspot:5', 2, 60_000)).toEqual({ waitMs: expect.any(Number) });
  });
});
