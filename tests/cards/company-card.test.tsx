import { Alert, Button, Checkbox, DateInput, EmptyState, ErrorState, Input, List, LoadingSpinner, Select, StatisticsItem, Table, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { CompanyAdvocacyCard } from '../../cards/components/CompanyAdvocacyCard';
import { FETCH_TIMEOUT_MS } from '../../cards/lib/config';
import { buildAccountView, buildAsk, buildConsent, buildEvaluation, buildOpenAsk } from './builders';
import { BASE_URL, errorReply, eventually, fire, installFetch, textOf, variables } from './fetch-mock';

const ADVOCACY = '/hubspot/v1/accounts/123/advocacy';

function renderCard(vars: Record<string, unknown> = variables) {
  const r = createRenderer('crm.record.tab');
  r.mocks.context.crm.objectId = 123;
  r.mocks.context.variables = vars as Record<string, string>;
  r.render(<CompanyAdvocacyCard context={r.mocks.context} />);
  return r;
}

describe('company advocacy card', () => {
  it('when the backend has not answered yet, then a loading spinner shows', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, { hold: true });
    const r = renderCard();
    expect(r.find(LoadingSpinner).props.label).toBe('Loading advocacy readiness');
    await eventually(() => expect(fetch.calls).toHaveLength(1));
    expect(r.find(LoadingSpinner)).toBeTruthy();
    expect(fetch.calls[0]).toEqual({ url: `${BASE_URL}${ADVOCACY}`, method: 'GET', body: undefined, timeout: FETCH_TIMEOUT_MS });
  });

  it('when the backend fails, then a plain message and Retry show, and Retry loads the card', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, errorReply('CRM_UNAVAILABLE', 'upstream 503 at api.hubapi.com'), { status: 200, body: buildAccountView() });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(ErrorState, 'load-error')).toBeTruthy());
    expect(textOf(r.findByTestId(ErrorState, 'load-error'))).toContain('The Advocacy Loop service had a problem. Try again in a minute.');
    expect(textOf(r.findByTestId(ErrorState, 'load-error'))).not.toContain('api.hubapi.com');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await eventually(() => expect(r.findByTestId(StatisticsItem, 'readiness-score').props.number).toBe(58.3));
    expect(fetch.callsTo('GET', ADVOCACY)).toHaveLength(2);
  });

  it('when the request times out, then the card says the service did not answer in time', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, { fail: Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }) });
    const r = renderCard();
    await eventually(() => expect(textOf(r.findByTestId(ErrorState, 'load-error'))).toContain('did not answer in time'));
  });

  it('when the profile has no backend URL, then the card explains the set-up problem and calls nothing', () => {
    const fetch = installFetch();
    const r = renderCard({});
    expect(textOf(r.findByTestId(Alert, 'config-problem'))).toContain('ADVOCACY_BACKEND_URL');
    expect(fetch.calls).toHaveLength(0);
  });

  it('when the profile gives an http:// backend URL, then the card refuses it', () => {
    installFetch();
    const r = renderCard({ ADVOCACY_BACKEND_URL: 'http://advocacy.example.test' });
    expect(textOf(r.findByTestId(Alert, 'config-problem'))).toContain('must be an https:// URL');
  });

  it('when the engine proposes an ask, then score, band, contributions and the outreach text show', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView());
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(StatisticsItem, 'readiness-score').props.number).toBe(58.3));
    expect(r.findByTestId(Tag, 'readiness-band').text).toBe('Amber');
    const contributions = textOf(r.findByTestId(Table, 'contributions'));
    expect(contributions).toContain('Health score');
    expect(contributions).toContain('25.8');
    expect(contributions).toContain('latest NPS 9/10 on 2026-10-02');
    expect(r.findByTestId(Tag, 'missing-usage').text).toBe('missing');
    expect(r.findByTestId(Text, 'outreach-subject').text).toBe('Would you share your experience, Dana?');
    expect(r.findByTestId(Text, 'outreach-body').text).toContain('Acme has been with us');
    expect(r.findByTestId(Button, 'create-task').text).toBe('Create task now');
  });

  it('when "Create task now" is clicked, then the backend creates the ask and the card shows it in progress', async () => {
    const fetch = installFetch();
    const created = buildAsk({ askId: 'ask-new', status: 'proposed', taskId: 'task-900' });
    fetch.on('GET', ADVOCACY, { status: 200, body: buildAccountView() }, { status: 200, body: buildAccountView({ openAsk: buildOpenAsk(created), asks: [created] }) });
    fetch.ok('POST', '/hubspot/v1/accounts/123/asks', { ask: created, taskId: 'task-900' }, 201);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'create-task')).toBeTruthy());
    r.findByTestId(Button, 'create-task').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Review ask is Proposed'));
    expect(textOf(r.findByTestId(Alert, 'create-task-done'))).toContain('task-900');
    expect(r.maybeFindByTestId(Button, 'create-task')).toBeNull();
    expect(fetch.callsTo('POST', '/accounts/123/asks')).toEqual([{ url: `${BASE_URL}/hubspot/v1/accounts/123/asks`, method: 'POST', body: {}, timeout: FETCH_TIMEOUT_MS }]);
    expect(fetch.callsTo('GET', ADVOCACY)).toHaveLength(2);
  });

  it('when the card reloads after a click, then the data stays on screen instead of a spinner', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, { status: 200, body: buildAccountView() }, { hold: true });
    fetch.ok('POST', '/hubspot/v1/accounts/123/asks', { ask: buildAsk({ status: 'proposed' }), taskId: null }, 201);
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'create-task')).toBeTruthy());
    r.findByTestId(Button, 'create-task').trigger('onClick');
    await eventually(() => expect(fetch.callsTo('GET', ADVOCACY)).toHaveLength(2));
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'create-task-done'))).toBe('Ask recorded; the task will be created shortly.'));
    expect(r.maybeFind(LoadingSpinner)).toBeNull();
    expect(r.findByTestId(StatisticsItem, 'readiness-score').props.number).toBe(58.3);
  });

  it('when creating the task is refused, then the backend reason shows and the button stays', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView());
    fetch.error('POST', '/hubspot/v1/accounts/123/asks', 'NOTHING_TO_PROPOSE', 'the engine does not propose an ask for account 123 today (handoff)');
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'create-task')).toBeTruthy());
    r.findByTestId(Button, 'create-task').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'create-task-failed'))).toContain('does not propose an ask for account 123 today'));
    expect(r.findByTestId(Button, 'create-task').props.disabled).toBe(false);
  });

  it('when the decision is a hand-off, then every reason shows and no ask can be created', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({
      evaluation: buildEvaluation({
        decision: 'handoff',
        ownerMustAct: true,
        reasons: [
          { code: 'OPEN_ESCALATION', detail: '2 open escalations' },
          { code: 'RENEWAL_SOON', detail: 'renewal on 2026-12-15, within 45 days' },
        ],
      }),
    }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Alert, 'handoff')).toBeTruthy());
    expect(r.findByTestId(Alert, 'handoff').props.title).toBe('The CSM needs to act before anyone asks');
    const reasons = textOf(r.findByTestId(List, 'handoff-reasons'));
    expect(reasons).toContain('2 open escalations');
    expect(reasons).toContain('renewal on 2026-12-15, within 45 days');
    expect(r.maybeFindByTestId(Button, 'create-task')).toBeNull();
  });

  it('when the account is not ready, then what fails and what is missing show', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({
      evaluation: buildEvaluation({ decision: 'not_ready', askType: null, proposal: null, reasons: [{ code: 'HEALTH_BELOW_MIN', detail: 'health 52 is below 70' }] }),
      missingSignals: ['usage', 'csat'],
    }));
    const r = renderCard();
    await eventually(() => expect(textOf(r.findByTestId(List, 'not-ready-reasons'))).toContain('health 52 is below 70'));
    expect(r.findByTestId(Text, 'missing-signals').text).toBe('Missing in the CRM: Usage depth, CSAT');
    expect(r.maybeFindByTestId(Button, 'create-task')).toBeNull();
  });

  it('when the account has no contact to score, then the card says so instead of a score', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({
      evaluation: buildEvaluation({ decision: 'not_ready', readiness: null, proposal: null, askType: null, reasons: [{ code: 'NO_CONTACT', detail: 'the account has no contacts to ask' }] }),
      missingSignals: [],
    }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Text, 'readiness-score-missing')).toBeTruthy());
    expect(r.maybeFindByTestId(Table, 'contributions')).toBeNull();
    expect(textOf(r.findByTestId(List, 'not-ready-reasons'))).toContain('no contacts to ask');
  });

  it('when nobody was ever asked, then the history is an empty state and there is no outcome form', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView());
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(EmptyState, 'history-empty')).toBeTruthy());
    expect(r.maybeFindByTestId(Button, 'outcome-submit')).toBeNull();
  });

  it('when the account has asks and consents, then the history lists them', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({
      asks: [buildAsk({ askId: 'a2', askType: 'quote', status: 'completed', statusAt: '2026-05-03T10:00:00.000Z', outcomeNote: 'quote used on the pricing page' }), buildAsk()],
      consents: [buildConsent()],
    }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Table, 'history-asks')).toBeTruthy());
    const history = textOf(r.findByTestId(Table, 'history-asks'));
    expect(history).toContain('quote used on the pricing page');
    expect(history).toContain('2026-05-03');
    expect(r.findByTestId(Text, 'consent-cons-1').text).toBe('Consent for Quote since 2026-03-01, until 2027-03-01 (email of 1 March)');
  });

  it('when a consent is revoked from the history, then the backend revokes it and the card shows it revoked', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCACY, { status: 200, body: buildAccountView({ asks: [buildAsk({ status: 'completed' })], consents: [buildConsent()] }) }, { status: 200, body: buildAccountView({ asks: [buildAsk({ status: 'completed' })], consents: [buildConsent({ revokedOn: '2026-11-25' })] }) });
    fetch.ok('POST', '/hubspot/v1/consents/cons-1/revoke', { consent: buildConsent({ revokedOn: '2026-11-25' }) });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'revoke-cons-1')).toBeTruthy());
    r.findByTestId(Button, 'revoke-cons-1').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Text, 'consent-cons-1').text).toBe('Consent for Quote since 2026-03-01, revoked 2026-11-25 (email of 1 March)'));
    expect(fetch.callsTo('POST', '/consents/cons-1/revoke')).toHaveLength(1);
    expect(r.maybeFindByTestId(Button, 'revoke-cons-1')).toBeNull();
  });

  it('when an outcome with consent is saved, then the backend gets it and the card reloads with the result', async () => {
    const fetch = installFetch();
    const sent = buildAsk({ askId: 'ask-9', askType: 'quote', status: 'accepted' });
    const done = { ...sent, status: 'completed' as const, outcomeNote: 'great quote' };
    fetch.on('GET', ADVOCACY, { status: 200, body: buildAccountView({ openAsk: buildOpenAsk({ ...sent, next: ['completed', 'cancelled'] }), asks: [sent] }) }, { status: 200, body: buildAccountView({ asks: [done], consents: [buildConsent({ consentId: 'cons-9' })] }) });
    fetch.ok('POST', '/hubspot/v1/asks/ask-9/outcome', { ask: done });
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'outcome-submit')).toBeTruthy());
    expect(r.findByTestId(Select, 'outcome-status').props.options.map((o) => o.value)).toEqual(['completed', 'cancelled']);
    fire(r.findByTestId(Select, 'outcome-status'), 'onChange', 'completed');
    fire(r.findByTestId(TextArea, 'outcome-note'), 'onChange', 'great quote');
    fire(r.findByTestId(Checkbox, 'outcome-with-consent'), 'onChange', true);
    expect(r.findByTestId(Button, 'outcome-submit').props.disabled).toBe(true);
    fire(r.findByTestId(Input, 'consent-evidence'), 'onChange', 'signed release form');
    fire(r.findByTestId(DateInput, 'consent-expires'), 'onChange', { year: 2027, month: 10, date: 30 });
    r.findByTestId(Button, 'outcome-submit').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'outcome-done'))).toBe('Saved: the quote ask is now completed.'));
    expect(fetch.callsTo('POST', '/asks/ask-9/outcome')[0].body).toEqual({ status: 'completed', note: 'great quote', consent: { scope: 'quote', evidence: 'signed release form', expiresOn: '2027-11-30' } });
    await eventually(() => expect(textOf(r.findByTestId(Table, 'history-asks'))).toContain('great quote'));
  });

  it('when asks are final, then only the open ones are offered, each with the statuses it can move to', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({ asks: [buildAsk({ askId: 'done', status: 'completed' }), buildAsk({ askId: 'new', status: 'proposed' }), buildAsk({ askId: 'out', status: 'sent' })] }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Select, 'outcome-ask')).toBeTruthy());
    expect(r.findByTestId(Select, 'outcome-ask').props.options.map((o) => o.value)).toEqual(['new', 'out']);
    expect(r.findByTestId(Select, 'outcome-status').props.options.map((o) => o.value)).toEqual(['sent', 'cancelled']);
    fire(r.findByTestId(Select, 'outcome-ask'), 'onChange', 'out');
    expect(r.findByTestId(Select, 'outcome-status').props.options.map((o) => o.value)).toEqual(['accepted', 'declined', 'no_response', 'cancelled']);
  });

  it('when every ask is final, then there is no outcome form', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({ asks: [buildAsk({ status: 'declined' })] }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Table, 'history-asks')).toBeTruthy());
    expect(r.maybeFindByTestId(Button, 'outcome-submit')).toBeNull();
  });

  it('when consent is ticked without evidence, then the outcome cannot be saved', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCACY, buildAccountView({ asks: [buildAsk()] }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Button, 'outcome-submit')).toBeTruthy());
    fire(r.findByTestId(Checkbox, 'outcome-with-consent'), 'onChange', true);
    expect(r.findByTestId(Input, 'consent-evidence').props.error).toBe(true);
    expect(r.findByTestId(Button, 'outcome-submit').props.disabled).toBe(true);
    expect(fetch.callsTo('POST', '/outcome')).toHaveLength(0);
  });
});
