import { Alert, Button, Checkbox, DateInput, Input, List, Select, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { CompanyAdvocacyCard } from '../../cards/components/CompanyAdvocacyCard';
import { buildAccountView, buildAsk, buildConsent, buildEvaluation, buildOpenAsk } from './builders';
import { eventually, fire, installFetch, textOf, variables } from './fetch-mock';

// The company card as a CSM meets it after the daily scan: the scan's proposal in progress
// (outreach to copy, the rule that chose it, mark sent / edit the note / cancel with a reason),
// then waiting for an answer, then accepted and completed with consent; and on a hand-off
// account, the form to record the ask the CSM made themselves.

const ADVOCACY = '/hubspot/v1/accounts/123/advocacy';

function renderCard(copy?: (text: string) => void) {
  const r = createRenderer('crm.record.tab');
  r.mocks.context.crm.objectId = 123;
  r.mocks.context.variables = variables as Record<string, string>;
  r.render(<CompanyAdvocacyCard context={r.mocks.context} copy={copy} />);
  return r;
}

const proposed = buildOpenAsk();
const proposedView = buildAccountView({ openAsk: proposed, asks: [proposed] });

describe('company card: the ask in progress', () => {
  it('when the scan proposed an ask, then the card shows it proposed for its contact with the rule, the outreach to copy and its actions, not as asked', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, proposedView);
    const copied: string[] = [];
    const r = renderCard((t) => void copied.push(t));
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask')).toBeTruthy());
    const alert = r.findByTestId(Alert, 'open-ask');
    expect(alert.props.title).toBe('Review ask is Proposed');
    expect(textOf(alert)).toContain('Proposed for Dana Scully on 2026-11-25; nobody has asked them yet.');
    expect(textOf(alert)).not.toContain('was asked');
    expect(r.findByTestId(Text, 'open-ask-rule').text).toBe('Why this ask: first rung open to this contact: a review');
    expect(r.findByTestId(Text, 'open-ask-subject').text).toBe('Would you share your experience, Dana?');
    expect(r.findByTestId(Text, 'open-ask-body').text).toContain('Acme has been with us');
    expect(r.findByTestId(Button, 'mark-sent').text).toBe('Mark sent: I asked Dana Scully');
    expect(r.findByTestId(Button, 'cancel-ask').props.disabled).toBe(true);
    expect(r.maybeFindByTestId(Button, 'create-task')).toBeNull();
    expect(r.maybeFindByTestId(List, 'handoff-reasons')).toBeNull();
    r.findByTestId(Button, 'copy-outreach').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Button, 'copy-outreach').text).toBe('Copied'));
    expect(copied).toEqual(['Would you share your experience, Dana?\n\nHi Dana, Acme has been with us for almost four years...']);
  });

  it('when the host offers no clipboard, then the outreach still shows and there is no copy button', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, proposedView);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Text, 'open-ask-body')).toBeTruthy());
    expect(r.maybeFindByTestId(Button, 'copy-outreach')).toBeNull();
  });

  it('when the CSM edits the note, then the backend keeps it and the card reloads with it', async () => {
    const fetch = installFetch();
    const noted = buildOpenAsk({ outcomeNote: 'call first' });
    fetch.on('GET', ADVOCACY, { status: 200, body: proposedView }, { status: 200, body: buildAccountView({ openAsk: noted, asks: [noted] }) });
    fetch.ok('POST', '/hubspot/v1/asks/ask-1/note', { ask: { ...buildAsk(), status: 'proposed', outcomeNote: 'call first' } });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(TextArea, 'ask-note')).toBeTruthy());
    expect(r.findByTestId(Button, 'save-note').props.disabled).toBe(true);
    fire(r.findByTestId(TextArea, 'ask-note'), 'onChange', '  call first ');
    r.findByTestId(Button, 'save-note').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Text, 'open-ask-note').text).toBe('Note: call first'));
    expect(fetch.callsTo('POST', '/asks/ask-1/note')[0].body).toEqual({ note: 'call first' });
  });

  it('when the CSM cancels, then a reason is required and sent with the cancellation', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, { status: 200, body: proposedView }, { status: 200, body: buildAccountView({ asks: [buildAsk({ status: 'cancelled', outcomeNote: 'renewal talks started' })] }) });
    fetch.ok('POST', '/hubspot/v1/asks/ask-1/outcome', { ask: buildAsk({ status: 'cancelled' }) });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Input, 'cancel-reason')).toBeTruthy());
    fire(r.findByTestId(Input, 'cancel-reason'), 'onChange', '   ');
    expect(r.findByTestId(Button, 'cancel-ask').props.disabled).toBe(true);
    fire(r.findByTestId(Input, 'cancel-reason'), 'onChange', 'renewal talks started');
    r.findByTestId(Button, 'cancel-ask').trigger('onClick');
    await eventually(() => expect(r.maybeFindByTestId(Alert, 'open-ask')).toBeNull());
    expect(fetch.callsTo('POST', '/asks/ask-1/outcome')[0].body).toEqual({ status: 'cancelled', note: 'renewal talks started' });
  });

  it('when marking sent fails, then the reason shows and the ask stays proposed', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, proposedView);
    fetch.error('POST', '/hubspot/v1/asks/ask-1/outcome', 'INVALID_TRANSITION', 'ask ask-1 is cancelled; it can move to nothing (final), not sent');
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'mark-sent')).toBeTruthy());
    r.findByTestId(Button, 'mark-sent').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'mark-sent-failed'))).toContain('can move to nothing'));
    expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Review ask is Proposed');
  });

  it('when a proposal is sent, then accepted, then completed with consent, then the card follows it from proposed to history', async () => {
    const fetch = installFetch();
    const sent = buildOpenAsk({ status: 'sent', sentAt: '2026-11-25T10:00:00.000Z', statusAt: '2026-11-25T10:00:00.000Z', ageDays: 3, next: ['accepted', 'declined', 'no_response', 'cancelled'] });
    const accepted = buildOpenAsk({ ...sent, status: 'accepted', statusAt: '2026-11-28T10:00:00.000Z', ageDays: 0, next: ['completed', 'cancelled'] });
    const completed = buildAsk({ status: 'completed', statusAt: '2026-11-28T11:00:00.000Z', outcomeNote: 'quote on the pricing page' });
    fetch.on(
      'GET',
      ADVOCACY,
      { status: 200, body: proposedView },
      { status: 200, body: buildAccountView({ openAsk: sent, asks: [sent], evaluation: buildEvaluation({ decision: 'handoff', reasons: [{ code: 'RECENT_ASK_CONFLICT', detail: 'open review ask ask-1 (sent)' }] }) }) },
      { status: 200, body: buildAccountView({ openAsk: accepted, asks: [accepted] }) },
      { status: 200, body: buildAccountView({ asks: [completed], consents: [buildConsent({ scope: 'review' })] }) },
    );
    fetch.on('POST', '/hubspot/v1/asks/ask-1/outcome', { status: 200, body: { ask: sent } }, { status: 200, body: { ask: accepted } }, { status: 200, body: { ask: completed } });
    const r = renderCard();

    await eventually(() => expect(r.findByTestId(Button, 'mark-sent')).toBeTruthy());
    r.findByTestId(Button, 'mark-sent').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Review ask is Sent'));
    expect(textOf(r.findByTestId(Alert, 'open-ask'))).toContain('Waiting for an answer from Dana Scully: asked on 2026-11-25, 3 days ago.');
    expect(r.findByTestId(Text, 'open-ask-next').text).toContain('Next: accepted, declined, no response, cancelled.');
    expect(r.maybeFindByTestId(Button, 'mark-sent')).toBeNull();
    expect(r.maybeFindByTestId(List, 'handoff-reasons')).toBeNull();

    fire(r.findByTestId(Select, 'outcome-status'), 'onChange', 'accepted');
    r.findByTestId(Button, 'outcome-submit').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Review ask is Accepted'));
    expect(r.findByTestId(Text, 'open-ask-next').text).toContain('Next: completed, cancelled.');

    fire(r.findByTestId(Select, 'outcome-status'), 'onChange', 'completed');
    fire(r.findByTestId(Checkbox, 'outcome-with-consent'), 'onChange', true);
    fire(r.findByTestId(Input, 'consent-evidence'), 'onChange', 'email of 28 November');
    r.findByTestId(Button, 'outcome-submit').trigger('onClick');
    await eventually(() => expect(r.maybeFindByTestId(Alert, 'open-ask')).toBeNull());
    expect(textOf(r.findByTestId(Text, 'consent-cons-1'))).toContain('Consent for Review');
    expect(fetch.callsTo('POST', '/asks/ask-1/outcome').map((c) => c.body)).toEqual([
      { status: 'sent' },
      { status: 'accepted', note: null, consent: null },
      { status: 'completed', note: null, consent: { scope: 'review', evidence: 'email of 28 November' } },
    ]);
  });

  it('when the ask in progress is one the CSM made directly, then it says so and has no rule', async () => {
    const fetch = installFetch();
    const own = buildOpenAsk({ status: 'sent', csmOwned: true, rule: null, outreach: null, ageDays: 1, next: ['accepted', 'declined', 'no_response', 'cancelled'] });
    fetch.ok('GET', ADVOCACY, buildAccountView({ openAsk: own, asks: [own] }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Tag, 'open-ask-csm-owned')).toBeTruthy());
    expect(r.maybeFindByTestId(Text, 'open-ask-rule')).toBeNull();
    expect(textOf(r.findByTestId(Alert, 'open-ask'))).toContain('1 day ago');
  });
});

describe('company card: the CSM owns the ask on a hand-off account', () => {
  const handoff = buildAccountView({
    evaluation: buildEvaluation({ decision: 'handoff', ownerMustAct: true, reasons: [{ code: 'STRATEGIC_ACCOUNT', detail: 'the account is flagged strategic: the CSM owns any advocacy ask directly' }] }),
  });

  it('when the account is handed off, then the reasons show with a form to record the CSM\'s own ask, which is sent and the card reloads', async () => {
    const fetch = installFetch();
    const own = buildOpenAsk({ askId: 'ask-csm', status: 'sent', csmOwned: true, rule: null, outreach: null, next: ['accepted', 'declined', 'no_response', 'cancelled'], outcomeNote: 'asked at the QBR' });
    fetch.on('GET', ADVOCACY, { status: 200, body: handoff }, { status: 200, body: buildAccountView({ ...handoff, openAsk: own, asks: [own] }) });
    fetch.ok('POST', '/hubspot/v1/accounts/123/csm-asks', { ask: { ...own } }, 201);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'csm-ask-submit')).toBeTruthy());
    expect(textOf(r.findByTestId(List, 'handoff-reasons'))).toContain('flagged strategic');
    expect(r.findByTestId(Select, 'csm-ask-type').props.value).toBe('review');
    expect(r.findByTestId(Select, 'csm-ask-contact').props.options.map((o) => o.label)).toEqual(['Dana Scully', 'Walter Skinner']);
    expect(r.findByTestId(DateInput, 'csm-ask-date').props.value).toEqual({ year: 2026, month: 10, date: 25 });
    fire(r.findByTestId(Select, 'csm-ask-type'), 'onChange', 'reference_call');
    fire(r.findByTestId(Select, 'csm-ask-contact'), 'onChange', 'c-2');
    fire(r.findByTestId(DateInput, 'csm-ask-date'), 'onChange', { year: 2026, month: 10, date: 20 });
    fire(r.findByTestId(TextArea, 'csm-ask-note'), 'onChange', 'asked at the QBR');
    r.findByTestId(Button, 'csm-ask-submit').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Tag, 'open-ask-csm-owned')).toBeTruthy());
    expect(fetch.callsTo('POST', '/accounts/123/csm-asks')[0].body).toEqual({ askType: 'reference_call', contactId: 'c-2', askedOn: '2026-11-20', note: 'asked at the QBR' });
  });

  it('when recording the CSM ask is refused, then the backend reason shows', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, handoff);
    fetch.error('POST', '/hubspot/v1/accounts/123/csm-asks', 'DATE_IN_FUTURE', 'an ask made on 2026-12-01 is after today (2026-11-25): record it once it is made');
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'csm-ask-submit')).toBeTruthy());
    r.findByTestId(Button, 'csm-ask-submit').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'csm-ask-failed'))).toContain('after today'));
  });

  it('when the date is cleared, then the ask cannot be recorded', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, handoff);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(DateInput, 'csm-ask-date')).toBeTruthy());
    fire(r.findByTestId(DateInput, 'csm-ask-date'), 'onChange', null);
    expect(r.findByTestId(Button, 'csm-ask-submit').props.disabled).toBe(true);
    expect(fetch.callsTo('POST', '/csm-asks')).toHaveLength(0);
  });
});
