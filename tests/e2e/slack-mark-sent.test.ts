import nock from 'nock';
import request from 'supertest';
import { LocalCrm } from '../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../backend/src/crm/port';
import type { Ask } from '../../backend/src/domain/types';
import { applyDataset } from '../../backend/src/import/dataset';
import { runScan } from '../../backend/src/jobs/scan-portfolio';
import { notifyDepsOf, sendNotifications } from '../../backend/src/jobs/send-notifications';
import type { Db } from '../../backend/src/store/db';
import { championsDataset, OWNER, TODAY } from '../support/builders';
import { blockAction, eventually, form, signed, SLACK, slackApp, slackContext, useNock } from '../support/slack';
import { openTestDb } from '../support/store';

// The whole loop, in-process with the real app and store: a scan proposes, the CSM gets one
// Slack message (nock), clicks "Mark sent" (a request signed like Slack's), the ask is sent in
// the store and in the CRM (its mirror), the message is updated to show it; a second scan of
// the same day sends nothing.

/** The embedded CRM, with the ask mirrors it is handed written down (the local adapter keeps none of its own). */
function recordingCrm(db: Db): { crm: CrmPort; mirrored: Ask[] } {
  const local = new LocalCrm(db, 'local');
  const mirrored: Ask[] = [];
  const crm: CrmPort = Object.assign(Object.create(local) as CrmPort, {
    saveAsk: async (ask: Ask) => {
      mirrored.push({ ...ask });
      return local.saveAsk(ask);
    },
    saveAsks: undefined,
  });
  return { crm, mirrored };
}

describe('Slack, end to end', () => {
  useNock();
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a1' }])));
  });
  afterEach(async () => db.close());

  it('when a scan proposes, then the CSM gets one message, Mark sent moves the ask to sent in the store and the CRM, the message shows it, and a second scan sends nothing', async () => {
    const { crm, mirrored } = recordingCrm(db);
    const ctx = await slackContext(db, { crmFor: () => crm });
    const scan = () => runScan({ store: ctx.store, crm, criteria: ctx.criteria, portalId: 'local', now: ctx.now }, { asOf: TODAY });

    await scan();
    const lookup = nock(SLACK).post('/api/users.lookupByEmail', (b) => form(b).email === OWNER.email).reply(200, { ok: true, user: { id: 'U0SAM' } });
    let message: Record<string, string> = {};
    const post = nock(SLACK).post('/api/chat.postMessage', (b) => ((message = form(b)), true)).reply(200, { ok: true, channel: 'D0SAM', ts: '1732438800.000100' });
    expect(await sendNotifications(await notifyDepsOf(ctx, 'local'))).toEqual(expect.objectContaining({ sent: 1, failed: 0 }));
    expect(lookup.isDone() && post.isDone()).toBe(true);
    expect(message.channel).toBe('U0SAM');
    const [notice] = await ctx.store.notices.list('local');
    expect(notice).toEqual(expect.objectContaining({ status: 'sent', deliveredVia: 'slack', deliveredTo: 'D0SAM', messageRef: '1732438800.000100' }));
    expect(JSON.parse(message.blocks).find((b: { type: string }) => b.type === 'actions').elements[0]).toEqual(expect.objectContaining({ action_id: 'advocacy.mark_sent', value: notice.key }));

    let updated: Record<string, string> = {};
    const update = nock(SLACK).post('/api/chat.update', (b) => ((updated = form(b)), true)).reply(200, { ok: true, channel: 'D0SAM', ts: '1732438800.000100' });
    const click = blockAction({ user: 'U0SAM', actionId: 'advocacy.mark_sent', value: notice.key });
    const res = await request(slackApp(ctx)).post('/slack/interactivity').set(signed(click)).send(click);
    expect(res.status).toBe(200);

    const ask = (await ctx.store.asks.get('local', notice.askId!))!;
    expect(ask.status).toBe('sent');
    expect(mirrored.filter((a) => a.askId === ask.askId).map((a) => a.status)).toEqual(['proposed', 'sent']);
    expect(await eventually(() => update.isDone())).toBe(true);
    expect(updated).toMatchObject({ channel: 'D0SAM', ts: '1732438800.000100' });
    expect(updated.blocks).toContain('Marked sent by <@U0SAM>');
    expect(updated.blocks).not.toContain('advocacy.mark_sent');

    await scan();
    // Nothing new to say: no Slack call is expected (nock refuses any).
    expect(await sendNotifications(await notifyDepsOf(ctx, 'local'))).toEqual(expect.objectContaining({ sent: 0, failed: 0 }));
    expect(await ctx.store.notices.list('local')).toHaveLength(1);
  });
});
