import request from 'supertest';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { StoredAsk } from '../../../backend/src/store/asks-repo';
import type { Db } from '../../../backend/src/store/db';
import { at, buildAccount, buildAsk, buildContact, buildNps, OWNER, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

const silent = (askId: string, daysAgo: number): StoredAsk => ({
  ...buildAsk({ askId, accountId: 'acc-quiet', contactId: 'con-quiet', askType: 'review', status: 'no_response', proposedAt: at(TODAY, -daysAgo - 1), sentAt: at(TODAY, -daysAgo), acceptedAt: null, completedAt: null, noResponseAt: at(TODAY, -daysAgo + 14) }),
  source: 'import',
  runKey: null,
  taskId: null,
  crmAskId: null,
  outcomeNote: null,
  criteriaVersion: null,
  readinessScore: null,
  details: {},
});

describe('a contact paused after two unanswered asks', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb('pglite');
    const ds = emptyDataset();
    ds.owners.push(OWNER);
    const { healthHistory: _h, ...account } = buildAccount({ accountId: 'acc-quiet', name: 'Quiet Co' });
    ds.accounts.push(account);
    ds.contacts.push(buildContact({ contactId: 'con-quiet', accountId: 'acc-quiet' }));
    ds.nps.push({ ...buildNps({ contactId: 'con-quiet' }), accountId: 'acc-quiet' });
    ds.asks.push(silent('ask-q1', 200), silent('ask-q2', 100));
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
  });
  afterAll(async () => db.close());

  it('when the advocate profile and the account are read, then both show the pause, its asks and the day it ends', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const profile = await request(app).get('/api/v1/contacts/con-quiet/advocate').expect(200);
    expect(profile.body.paused).toEqual({ until: '2027-08-30', reason: 'contact con-quiet did not answer 2 asks in a row (ask-q1, ask-q2); paused until 2027-08-30 (the decline cooldown, 12 months)' });
    const advocacy = await request(app).get('/api/v1/accounts/acc-quiet/advocacy').expect(200);
    expect(advocacy.body.evaluation.decision).toBe('not_ready');
    expect(advocacy.body.evaluation.reasons.map((r: { code: string }) => r.code)).toEqual(['PAUSED_NO_RESPONSE']);
  });
});
