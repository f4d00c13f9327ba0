import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../../backend/src/app-context';
import type { Notice } from '../../../backend/src/domain/notices';
import { notifyDepsOf, sendNotifications } from '../../../backend/src/jobs/send-notifications';
import { openPostgres, type Db } from '../../../backend/src/store/db';
import { defaultCriteria } from '../../support/builders';
import { BOT_TOKEN, NOW, TEAM } from '../../support/slack';

// Several senders of the notices on one PostgreSQL server (separate processes in a deployment:
// here each has its own context and its own connection pool, opened from the environment the
// way a server process opens it, AUDIT_MAC_KEY included) share the notifications table: each
// claims the notices it sends (FOR UPDATE SKIP LOCKED, a lease) and marks one sent only while its
// claim holds, so Slack gets each notice once and the audit log has one `notification.sent` for
// it. Slack is a loopback server that counts chat.postMessage per notice key and answers a
// little later, as Slack does, so the senders overlap. The daily cap holds across them too: a
// sender reserves one of the CSM's slots of the day before delivering (a lock on the day).

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

/** Slack's Web API as the senders see it: users.lookupByEmail and chat.postMessage, counted. */
function slackStub(posted: Map<string, number>, delayMs: () => number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const answer = (json: unknown) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json)), delayMs());
      if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) return answer({ ok: false, error: 'invalid_auth' });
      if (req.url === '/api/users.lookupByEmail') return answer({ ok: true, user: { id: `U${form.email.split('@')[0].toUpperCase()}` } });
      if (req.url === '/api/chat.postMessage') {
        // The notice's key is the value of its buttons (blocks.ts).
        const key = /"value":"(notice:[^"|]+)/.exec(form.blocks ?? '')?.[1] ?? 'no-key';
        posted.set(key, (posted.get(key) ?? 0) + 1);
        return answer({ ok: true, channel: form.channel, ts: `${Date.now()}.${posted.size}` });
      }
      answer({ ok: false, error: 'unknown_method' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/` })));
}

/** A proposal for its own CSM (a direct message each: no per-channel spacing, no daily cap). */
const proposal = (i: number): Notice => ({
  key: `notice:proposal:ask-${i}`,
  kind: 'proposal_ready',
  recipient: { ownerId: `owner-${i}`, name: `CSM ${i}`, email: `csm${i}@example.test` },
  accountId: `acc-${i}`,
  accountName: `Account ${i}`,
  askId: `ask-${i}`,
  contactId: `con-${i}`,
  day: NOW.toISOString().slice(0, 10),
  title: `Quote proposed for Account ${i}`,
  readiness: { score: 80, band: 'green', top: [{ signal: 'health', points: 20, note: 'health 85' }] },
  ask: { askType: 'quote', rule: 'lowest rung not completed', outreach: { subject: 'A quick favour', body: 'Would you share a quote?' } },
  reasons: [],
  lines: [],
  actions: ['mark_sent', 'snooze', 'not_now'],
});

/** Ten proposals for one CSM, whose daily cap is 3: the senders share her slots of the day. */
const forOneCsm = (i: number): Notice => ({ ...proposal(100 + i), recipient: { ownerId: 'owner-capped', name: 'Capped CSM', email: 'capped@example.test' } });

describeOnServer.each([2, 4])('notices sent by %i senders on one PostgreSQL server', (senders) => {
  // Read inside the block but used only by the hooks: without DATABASE_URL the block is skipped.
  const base = process.env.DATABASE_URL ?? '';
  const dbName = `adv_n_${randomBytes(4).toString('hex')}`;
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const posted = new Map<string, number>();
  let delayMs = 3;
  let admin: Db;
  let slack: { server: Server; url: string };
  const contexts: ServiceContext[] = [];

  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    slack = await slackStub(posted, () => delayMs);
    // Every process on a server shares the audit key (AUDIT_MAC_KEY); without it a server refuses to start.
    const env = { DATABASE_URL: url, AUDIT_MAC_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_TEAM_ID: TEAM, SLACK_API_URL: slack.url, SLACK_RETRIES: '0' };
    // One after the other: the first migrates the database, the others find it current.
    for (let i = 0; i < senders; i++) contexts.push(await createContext(env, { now: () => NOW, criteria: defaultCriteria(), logger: pino({ level: 'silent' }) }));
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await new Promise((r) => slack?.server.close(r));
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  it('when they send the same pending notices at once, then Slack gets each notice once and each is audited once', async () => {
    const n = 60;
    const added = await contexts[0].store.notices.enqueue('local', Array.from({ length: n }, (_, i) => proposal(i)));
    expect(added).toHaveLength(n);

    // Small claims so the senders interleave many times; each sender runs twice, as the job's
    // sweep and a scan's follow-up can overlap.
    const runs = await Promise.all(contexts.flatMap((ctx) => [0, 1].map(async () => sendNotifications(await notifyDepsOf(ctx, 'local'), { batch: 3 }))));

    expect(runs.reduce((s, r) => s + r.failed, 0)).toBe(0);
    expect(runs.map((r) => r.stoppedBy)).toEqual(runs.map(() => null));
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(n);
    // More than one sender did some of the sending (the claims really were shared).
    expect(runs.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    expect(posted.size).toBe(n);
    expect([...posted.entries()].filter(([, count]) => count !== 1)).toEqual([]);

    const db = contexts[0].db;
    const audit = await db.query<{ n: number; keys: number }>(`SELECT count(*)::int AS n, count(DISTINCT entity_id)::int AS keys FROM audit_log WHERE portal_id = 'local' AND action = 'notification.sent'`);
    expect(audit.rows[0]).toEqual({ n, keys: n });
    const rows = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM notifications WHERE portal_id = 'local' GROUP BY status`);
    expect(rows.rows).toEqual([{ status: 'sent', n }]);
    const claimed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE claimed_by IS NOT NULL`);
    expect(claimed.rows[0].n).toBe(0);
    expect((await contexts[0].store.audit.verify('local')).ok).toBe(true);

    // A later run finds nothing left to send.
    const again = await sendNotifications(await notifyDepsOf(contexts[1], 'local'));
    expect(again.sent).toBe(0);
    expect([...posted.values()].reduce((s, c) => s + c, 0)).toBe(n);
  });

  it('when they send ten due notices for one CSM with a daily cap of 3 at once, then exactly 3 are posted and 7 go to the digest', async () => {
    const keys = (await contexts[0].store.notices.enqueue('local', Array.from({ length: 10 }, (_, i) => forOneCsm(i))));
    expect(keys).toHaveLength(10);
    const before = new Map(posted);
    // Slack answers slowly here, so each sender is still delivering while the others decide.
    delayMs = 60;

    // Batch 1: every sender decides one notice at a time, so their cap decisions overlap. The
    // senders are ready (notifier built) before any starts, so they start together.
    const ready = await Promise.all(contexts.flatMap((ctx) => [0, 1].map(() => notifyDepsOf(ctx, 'local'))));
    const runs = await Promise.all(ready.map((deps) => sendNotifications({ ...deps, config: { ...deps.config, dailyCapPerCsm: 3 } }, { batch: 1 })));

    expect(runs.reduce((s, r) => s + r.failed, 0)).toBe(0);
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(3);
    expect(runs.reduce((s, r) => s + r.digested, 0)).toBe(7);
    const postedNow = keys.filter((k) => (posted.get(k) ?? 0) !== (before.get(k) ?? 0));
    expect(postedNow).toHaveLength(3);
    expect(postedNow.map((k) => posted.get(k))).toEqual([1, 1, 1]);
    const rows = await contexts[0].db.query<{ status: string; reason: string | null; n: number }>(
      `SELECT status, reason, count(*)::int AS n FROM notifications WHERE portal_id = 'local' AND owner_id = 'owner-capped' GROUP BY status, reason ORDER BY status`,
    );
    expect(rows.rows).toEqual([{ status: 'digested', reason: 'DAILY_CAP', n: 7 }, { status: 'sent', reason: null, n: 3 }]);
    const reserved = await contexts[0].db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE reserved_on IS NOT NULL`);
    expect(reserved.rows[0].n).toBe(0);
  });
});
