import { Alert, Button, DateInput, EmptyState, ErrorState, Input, LoadingSpinner, Select, Table, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealReferenceCard } from '../../cards/components/DealReferenceCard';
import { buildDealView, buildMatch, buildRequest } from './builders';
import { errorReply, eventually, fire, installFetch, textOf, variables } from './fetch-mock';

const REQUESTS = '/hubspot/v1/deals/123/reference-requests';
const MATCHES = '/hubspot/v1/deals/123/reference-matches';

function renderCard() {
  const r = createRenderer('crm.record.tab');
  r.mocks.context.crm.objectId = 123;
  r.mocks.context.variables = variables;
  r.render(<DealReferenceCard context={r.mocks.context} />);
  return r;
}

const PREFILLED_NEED = { askType: 'reference_call', industry: 'Fintech', sizeBand: '201-1000', region: 'EMEA', product: 'Analytics', useCase: null, competitor: null, language: null, dueOn: null };

describe('deal "Request a reference" card', () => {
  it('when the backend has not answered yet, then a loading spinner shows', async () => {
    const fetch = installFetch();
    fetch.on('GET', REQUESTS, { hold: true });
    const r = renderCard();
    await eventually(() => expect(fetch.calls).toHaveLength(1));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading reference requests');
  });

  it('when loading fails, then the message and Retry show, and Retry loads the form', async () => {
    const fetch = installFetch();
    fetch.on('GET', REQUESTS, { status: 404, body: { error: { code: 'DEAL_NOT_FOUND', message: 'no deal 123 in this portal', requestId: 'r' } } }, { status: 200, body: buildDealView() });
    const r = renderCard();
    await eventually(() => expect(textOf(r.findByTestId(ErrorState, 'load-error'))).toContain('no deal 123 in this portal'));
    r.findByTestId(Button, 'retry').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Input, 'need-industry').props.value).toBe('Fintech'));
  });

  it('when the card opens, then the form is prefilled from the deal and its company', async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView({ prefill: { ...buildDealView().prefill, dueOn: '2026-12-10' } }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Select, 'need-askType').props.value).toBe('reference_call'));
    expect(r.findByTestId(Input, 'need-industry').props.value).toBe('Fintech');
    expect(r.findByTestId(Input, 'need-sizeBand').props.value).toBe('201-1000');
    expect(r.findByTestId(Input, 'need-region').props.value).toBe('EMEA');
    expect(r.findByTestId(Input, 'need-product').props.value).toBe('Analytics');
    expect(r.findByTestId(Input, 'need-useCase').props.value).toBe('');
    expect(r.findByTestId(DateInput, 'need-dueOn').props.value).toEqual({ year: 2026, month: 11, date: 10 });
    expect(r.findByTestId(Text, 'no-requests').text).toBe('No reference requested for this deal yet.');
  });

  it('when "Find advocates" is clicked, then the edited need is sent and the ranked advocates show with why each matches', async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView());
    fetch.ok('POST', MATCHES, {
      matches: [
        buildMatch(),
        buildMatch({ contactId: 'c-11', contactName: 'John Doggett', accountName: 'Umbrella', score: 45, readiness: 64, matched: [{ attribute: 'industry', value: 'Fintech', weight: 30 }, { attribute: 'region', value: 'EMEA', weight: 15 }], lastUsedOn: '2026-08-30' }),
      ],
      explanation: null,
    });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'find-advocates')).toBeTruthy());
    fire(r.findByTestId(Input, 'need-competitor'), 'onChange', '  Globex  ');
    fire(r.findByTestId(Input, 'need-region'), 'onChange', '');
    fire(r.findByTestId(DateInput, 'need-dueOn'), 'onChange', { year: 2027, month: 0, date: 8 });
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Table, 'matches')).toBeTruthy());
    expect(fetch.callsTo('POST', '/reference-matches')[0].body).toEqual({ ...PREFILLED_NEED, region: null, competitor: 'Globex', dueOn: '2027-01-08' });
    const rows = textOf(r.findByTestId(Table, 'matches'));
    expect(rows.indexOf('Walter Skinner')).toBeLessThan(rows.indexOf('John Doggett'));
    expect(r.findByTestId(Text, 'match-c-10').text).toBe('Walter Skinner (Initech) · fit 65');
    expect(r.findByTestId(Text, 'why-c-10').text).toBe('industry Fintech (+30), company size band 201-1000 (+20), product Analytics (+15)');
    expect(r.findByTestId(Text, 'availability-c-10').text).toBe('available; never used');
    expect(r.findByTestId(Text, 'availability-c-11').text).toBe('available; last used 2026-08-30');
  });

  it('when no advocate fits, then the backend explanation shows', async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView());
    fetch.ok('POST', MATCHES, { matches: [], explanation: '3 fit the industry, all at their cap until 2027-01-15' });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'find-advocates')).toBeTruthy());
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(EmptyState, 'no-match').props.title).toBe('No advocate fits'));
    expect(r.findByTestId(Text, 'no-match-explanation').text).toBe('3 fit the industry, all at their cap until 2027-01-15');
    expect(r.maybeFindByTestId(Table, 'matches')).toBeNull();
  });

  it('when "Request" is clicked on an advocate, then the request is submitted and the deal lists it as requested', async () => {
    const fetch = installFetch();
    const created = buildRequest({ askId: 'ask-new' });
    fetch.on('GET', REQUESTS, { status: 200, body: buildDealView() }, { status: 200, body: buildDealView({ requests: [created] }) });
    fetch.ok('POST', MATCHES, { matches: [buildMatch()], explanation: null });
    fetch.ok('POST', REQUESTS, { request: created }, 201);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'find-advocates')).toBeTruthy());
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Button, 'request-c-10')).toBeTruthy());
    r.findByTestId(Button, 'request-c-10').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'request-done'))).toBe('Requested Walter Skinner (Initech): their CSM will approve or decline.'));
    expect(fetch.callsTo('POST', '/reference-requests')[0].body).toEqual({ need: PREFILLED_NEED, contactId: 'c-10' });
    expect(r.findByTestId(Button, 'request-c-10')).toMatchObject({ text: 'Requested', props: expect.objectContaining({ disabled: true }) });
    await eventually(() => expect(r.findByTestId(Tag, 'status-ask-new').text).toBe('Requested'));
    expect(fetch.callsTo('GET', '/reference-requests')).toHaveLength(2);
  });

  it('when finding advocates fails, then the message shows with Retry, and Retry sends the same need again', async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView());
    fetch.on('POST', MATCHES, errorReply('CRM_UNAVAILABLE', 'HubSpot is not answering'), { status: 200, body: { matches: [buildMatch()], explanation: null } });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'find-advocates')).toBeTruthy());
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'match-failed')).toBeTruthy());
    r.findByTestId(Button, 'match-retry').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Table, 'matches')).toBeTruthy());
    const sent = fetch.callsTo('POST', '/reference-matches').map((c) => c.body);
    expect(sent).toEqual([PREFILLED_NEED, PREFILLED_NEED]);
  });

  it('when the backend refuses the request, then its reason shows', async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView());
    fetch.ok('POST', MATCHES, { matches: [buildMatch()], explanation: null });
    fetch.error('POST', REQUESTS, 'NO_ADVOCATE', "the advocate's account has no owning CSM to approve the request");
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'find-advocates')).toBeTruthy());
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Button, 'request-c-10')).toBeTruthy());
    r.findByTestId(Button, 'request-c-10').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'request-failed'))).toContain('no owning CSM to approve the request'));
  });

  it("when the deal has requests, then each status shows and the overdue ones say why", async () => {
    const fetch = installFetch();
    fetch.ok('GET', REQUESTS, buildDealView({
      requests: [
        buildRequest({ askId: 'r1', status: 'requested', overdue: true, overdueReason: 'the CSM was due to decide by 2026-11-24' }),
        buildRequest({ askId: 'r2', status: 'approved' }),
        buildRequest({ askId: 'r3', status: 'scheduled', overdue: true, overdueReason: 'the reference was due by 2026-11-27' }),
        buildRequest({ askId: 'r4', status: 'completed' }),
        buildRequest({ askId: 'r5', status: 'declined' }),
      ],
    }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Table, 'requests')).toBeTruthy());
    expect(['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => r.findByTestId(Tag, `status-${id}`).text)).toEqual(['Requested', 'Approved', 'Scheduled', 'Completed', 'Declined']);
    expect(r.findByTestId(Tag, 'overdue-r1').text).toBe('Overdue: the CSM was due to decide by 2026-11-24');
    expect(r.findByTestId(Tag, 'overdue-r3').text).toBe('Overdue: the reference was due by 2026-11-27');
    expect(r.maybeFindByTestId(Tag, 'overdue-r2')).toBeNull();
  });

  it('when a scheduled reference took place, then the rep marks it completed with both sides\' feedback, and the list shows it', async () => {
    const fetch = installFetch();
    const scheduled = buildRequest({ askId: 'r3', status: 'scheduled' });
    const feedback = { advocate: 'Glad to help', prospect: 'Answered our migration worries' };
    fetch.on('GET', REQUESTS, { status: 200, body: buildDealView({ requests: [scheduled, buildRequest({ askId: 'r1', status: 'requested' })] }) }, { status: 200, body: buildDealView({ requests: [{ ...scheduled, status: 'completed', feedback, outcomeNote: 'Call on Tuesday' }] }) });
    fetch.ok('POST', '/hubspot/v1/asks/r3/outcome', { ask: { askId: 'r3', status: 'completed' } });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'complete-reference')).toBeTruthy());
    // Only the scheduled one can be recorded as held.
    expect(r.findByTestId(Select, 'complete-request').props.options.map((o) => o.value)).toEqual(['r3']);
    fire(r.findByTestId(TextArea, 'advocate-feedback'), 'onChange', feedback.advocate);
    fire(r.findByTestId(TextArea, 'prospect-feedback'), 'onChange', feedback.prospect);
    fire(r.findByTestId(TextArea, 'complete-note'), 'onChange', 'Call on Tuesday');
    r.findByTestId(Button, 'complete-reference').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'complete-done'))).toBe('Saved: the reference is completed.'));
    expect(fetch.callsTo('POST', '/asks/r3/outcome')[0].body).toEqual({ status: 'completed', note: 'Call on Tuesday', feedback });
    await eventually(() => expect(r.findByTestId(Tag, 'status-r3').text).toBe('Completed'));
    expect(r.findByTestId(Text, 'feedback-r3').text).toBe('Advocate: Glad to help · Prospect: Answered our migration worries');
    expect(r.maybeFindByTestId(Button, 'complete-reference')).toBeNull();
  });
});
