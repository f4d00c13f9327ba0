import { randomBytes } from 'node:crypto';
import { createOnceWithClaims, type CreateOnceSteps } from '../../../backend/src/crm/create-once';
import { CrmError } from '../../../backend/src/crm/errors';
import { ephemeralKeyring } from '../../../backend/src/store/audit-keys';
import { claimCreates } from '../../../backend/src/store/crm-created-objects';
import { openPostgres, type Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { openTestDb, storeKinds } from '../../support/store';

// The create-once claims every CRM adapter shares: a key is claimed before the CRM is called;
// a live claim keeps every other caller out; a claim left unconfirmed (a crash, a lost answer)
// is taken over once its lease runs out, and the taker looks the record up before creating.

/** A CRM that counts what it made per key, and can lose its answers (as a timeout does). */
function fakeCrm() {
  const records = new Map<string, string[]>();
  let next = 1;
  let loseAnswers = false;
  let lookups: string[][] = [];
  const steps: CreateOnceSteps = {
    lookup: async (keys) => {
      lookups.push(keys);
      return new Map(keys.filter((k) => records.has(k)).map((k) => [k, records.get(k)![0]]));
    },
    create: async (keys, onAnswer) => {
      for (const k of keys) records.set(k, [...(records.get(k) ?? []), `rec-${next++}`]);
      if (loseAnswers) throw new CrmError('CRM_TIMEOUT', 'no answer in time');
      await onAnswer(keys.map((k) => [k, { id: records.get(k)!.at(-1)! }]));
    },
  };
  return {
    steps,
    records,
    lose: (v: boolean) => (loseAnswers = v),
    takeLookups: () => [lookups, (lookups = [])][0],
  };
}

describe.each(storeKinds())('create-once claims on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => db.close());

  it('when a key is created twice, then the CRM makes it once and the second call gets the same id without a lookup', async () => {
    const crm = fakeCrm();
    const first = await createOnceWithClaims(db, 'p1', 'tasks', ['k1', 'k2', 'k1'], crm.steps);
    const second = await createOnceWithClaims(db, 'p1', 'tasks', ['k2', 'k1'], crm.steps);
    expect(second.outcomes).toEqual(first.outcomes);
    expect([...crm.records.values()].map((r) => r.length)).toEqual([1, 1]);
    expect(crm.takeLookups()).toEqual([]);
  });

  it('when the CRM made the record but its answer was lost, then the retry finds it by key and creates nothing', async () => {
    const crm = fakeCrm();
    crm.lose(true);
    const lost = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    expect(lost.outcomes.get('k1')).toEqual({ error: 'no answer in time' });
    crm.lose(false);
    const retry = await createOnceWithClaims(db, 'p1', 'tasks', ['k1', 'k2'], crm.steps);
    expect(crm.takeLookups()).toEqual([['k1']]);
    expect(retry.outcomes.get('k1')).toEqual({ id: crm.records.get('k1')![0] });
    expect(crm.records.get('k1')).toHaveLength(1);
    expect(crm.records.get('k2')).toHaveLength(1);
  });

  it('when another process holds a live claim, then the key is not created and says so; once the lease runs out it is taken over with a lookup', async () => {
    const crm = fakeCrm();
    // A process claimed k1 and died before calling the CRM.
    await claimCreates(db, 'p1', 'tasks', ['k1'], 'dead-process', 60_000);
    const blocked = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    expect(blocked.outcomes.get('k1')).toEqual({ error: expect.stringMatching(/^CREATE_IN_PROGRESS: another process/) });
    expect(crm.records.size).toBe(0);
    await db.query(`UPDATE crm_created_objects SET claimed_until = now() - interval '1 second'`);
    const after = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    expect(crm.takeLookups()).toEqual([['k1']]);
    expect(after.outcomes.get('k1')).toEqual({ id: crm.records.get('k1')![0] });
  });

  it('when the CRM refuses a record outright, then its key is free again and the next try creates it without a lookup', async () => {
    const crm = fakeCrm();
    const refusing: CreateOnceSteps = { ...crm.steps, create: async (keys, onAnswer) => onAnswer(keys.map((k) => [k, { error: 'VALIDATION_ERROR: bad owner' }])) };
    const refused = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], refusing);
    expect(refused.outcomes.get('k1')).toEqual({ error: 'VALIDATION_ERROR: bad owner' });
    await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    expect(crm.takeLookups()).toEqual([]);
    expect(crm.records.get('k1')).toHaveLength(1);
  });

  it('when the lookup itself fails, then nothing is created and the key stays in doubt for the next try', async () => {
    const crm = fakeCrm();
    crm.lose(true);
    await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    crm.lose(false);
    const failing: CreateOnceSteps = { ...crm.steps, lookup: async () => { throw new CrmError('CRM_UNAVAILABLE', 'HubSpot is down'); } };
    const down = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], failing);
    expect(down.failure).toBeInstanceOf(CrmError);
    expect(down.outcomes.get('k1')).toEqual({ error: expect.stringMatching(/HubSpot is down/) });
    await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    expect(crm.takeLookups()).toEqual([['k1']]);
    expect(crm.records.get('k1')).toHaveLength(1);
  });

  it('when two portals use the same key, then each has its own record', async () => {
    const crm = fakeCrm();
    const a = await createOnceWithClaims(db, 'p1', 'tasks', ['k1'], crm.steps);
    const b = await createOnceWithClaims(db, 'p2', 'tasks', ['k1'], crm.steps);
    expect(a.outcomes.get('k1')).not.toEqual(b.outcomes.get('k1'));
  });
});

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('create-once claims from 4 processes on one PostgreSQL server', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: Db;
  const pools: Db[] = [];
  beforeAll(async () => {
    admin = await openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const auditKeys = ephemeralKeyring();
    for (let i = 0; i < 4; i++) pools.push(await openPostgres(url, { schema, max: 2, auditKeys }));
    await migrate(pools[0]);
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('when they create the same 200 keys at once, then the CRM makes each once and the others are told it is in progress or get its id', async () => {
    const crm = fakeCrm();
    const slow: CreateOnceSteps = {
      ...crm.steps,
      create: async (keys, onAnswer) => {
        await new Promise((r) => setTimeout(r, 20)); // the CRM answers later: the others race meanwhile
        await crm.steps.create(keys, onAnswer);
      },
    };
    const keys = Array.from({ length: 200 }, (_, i) => `k-${i}`);
    const results = await Promise.all(pools.map((p) => createOnceWithClaims(p, 'p1', 'tasks', keys, slow)));
    expect(crm.records.size).toBe(200);
    expect([...crm.records.values()].every((r) => r.length === 1)).toBe(true);
    for (const k of keys) {
      const ids = results.map((r) => r.outcomes.get(k)!).filter((o) => 'id' in o);
      const busy = results.map((r) => r.outcomes.get(k)!).filter((o) => 'error' in o);
      expect(ids.length + busy.length).toBe(4);
      expect(new Set(ids.map((o) => (o as { id: string }).id))).toEqual(new Set([crm.records.get(k)![0]]));
      for (const o of busy) expect((o as { error: string }).error).toMatch(/^CREATE_IN_PROGRESS/);
    }
  });
});
