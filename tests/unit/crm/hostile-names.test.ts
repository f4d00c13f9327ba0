import { Connection } from 'jsforce';
import nock from 'nock';
import type { CrmTask } from '../../../backend/src/crm/port';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { composeTask } from '../../../backend/src/domain/compose-task';
import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import type { Db } from '../../../backend/src/store/db';
import { buildAsk, buildConsent, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';
import { API, AT, batchAnswer, buildCrm, useNockedStore } from '../hubspot-adapter/hubspot-fixtures';

// Names come from the customer's CRM or an import file: they are data, never markup. The task
// goes from the real domain (evaluate, compose) through the real adapters to a stub.

const PHISH = '<a href="https://evil.example/phish">Renew now</a>';
const SCRIPT = '<script>alert(1)</script>';

function hostileTask(): CrmTask {
  // A NUL after the name: a control character has no place in any CRM field.
  const snapshot = buildSnapshot({ account: { accountId: '1000', name: `${PHISH}\u0000` } });
  snapshot.contacts = [{ ...snapshot.contacts[0], contactId: '5000', firstName: SCRIPT }];
  snapshot.npsResponses = snapshot.npsResponses.map((n) => ({ ...n, contactId: '5000' }));
  const evaluation = evaluateAccount(snapshot, defaultCriteria(), TODAY);
  expect(evaluation.decision).toBe('propose');
  const draft = composeTask(evaluation, snapshot.account.name, defaultCriteria())!;
  return { idempotencyKey: 'task:hostile-1', kind: draft.kind, ownerId: '71', accountId: '1000', contactId: '5000', dealId: null, subject: draft.subject, body: draft.body, dueOn: draft.dueOn };
}

describe('hostile names in CRM fields', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when an account is named <a href=...>Renew now</a> and a contact <script>, then HubSpot gets an escaped HTML task body and a plain-text subject', async () => {
    let sent: { inputs: Array<{ properties: Record<string, string>; objectWriteTraceId: string }> } | undefined;
    const scope = nock(API)
      .post('/crm/v3/objects/tasks/batch/create', (b) => ((sent = b), true))
      .reply(201, (_u, body) => batchAnswer((body as typeof sent)!.inputs.map((i) => ({ id: '9001', properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT, archived: false }))));

    await expect(buildCrm(db, { portalId: 'portal-hostile' }).createTasks([hostileTask()])).resolves.toEqual([{ taskId: '9001' }]);

    expect(scope.isDone()).toBe(true);
    const { hs_task_body: body, hs_task_subject: subject } = sent!.inputs[0].properties;
    // hs_task_body is an HTML field: no tag of the customer's data survives as markup.
    expect(body).not.toMatch(/<a[\s>]|<script|<\/a>/i);
    expect(body).toContain('&lt;a href=&quot;https://evil.example/phish&quot;&gt;Renew now&lt;/a&gt;');
    expect(body).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(body).toContain('Your team&#39;s results');
    expect(body).not.toContain('\u0000');
    // Lines stay lines; the only tags are the line breaks the adapter adds.
    expect(body.replace(/<br>/g, '')).not.toMatch(/[<>]/);
    expect(body.endsWith('<br><br>[advocacy-loop task:hostile-1]')).toBe(true);
    // hs_task_subject is plain text, shown as typed: the name reads as the customer wrote it.
    expect(subject).toBe(`Advocacy ask for ${PHISH}: a short quote`);
  });

  it('when a note mirrors an ask whose outcome and consent evidence hold <script>, then the note body is escaped', async () => {
    const bodies: Array<{ inputs: Array<{ properties: Record<string, string> }> }> = [];
    nock(API)
      .post('/crm/v3/objects/notes/batch/create', (b) => bodies.push(b) > 0)
      .reply(201, (_u, body) => batchAnswer((body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs.map((i) => ({ id: '4402', properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));
    const crm = buildCrm(db, { mode: 'notes', askObject: null, portalId: 'portal-hostile-notes' });
    const ask = buildAsk({ askId: 'ask-h1', accountId: '1000', contactId: '5000', askType: 'quote', status: 'completed', sentAt: '2026-11-20T09:00:00.000Z', completedAt: '2026-11-24T09:00:00.000Z' });
    await crm.saveAsk(ask, { outcomeNote: SCRIPT, consent: buildConsent({ evidence: PHISH }) });
    const note = bodies[0].inputs[0].properties.hs_note_body;
    expect(note).toContain('Outcome: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(note).toContain('&lt;a href=&quot;https://evil.example/phish&quot;&gt;');
    expect(note).not.toMatch(/<script|<a[\s>]/i);
  });

  it('when the same hostile task goes to Salesforce, then Subject and Description are the plain text as written (Salesforce shows them as text), without control characters', async () => {
    const INSTANCE = 'https://acme.my.salesforce.com';
    let records: Array<Record<string, unknown>> = [];
    nock(INSTANCE)
      .post('/services/data/v62.0/composite/sobjects', (b) => ((records = b.records), true))
      .reply(200, [{ id: '00T000000000009', success: true, errors: [] }]);
    const conn = new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' });
    const task = hostileTask();
    await expect(new SalesforceCrm(conn, { policy: { timeoutMs: 2000, attempts: 1, baseDelayMs: 1, sleep: async () => {} } }).createTasks([task])).resolves.toEqual([{ taskId: '00T000000000009' }]);
    expect(records[0].Subject).toBe(`Advocacy ask for ${PHISH}: a short quote`);
    const description = records[0].Description as string;
    expect(description).toContain(`Hi ${SCRIPT},`);
    expect(description).not.toContain('&lt;');
    expect(description).not.toContain('\u0000');
    expect(description).toBe(`${task.body.replace(/\u0000/g, '')}\n\n[advocacy-loop task:hostile-1]`);
  });
});
