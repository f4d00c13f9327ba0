import { Alert, Button, EmptyState, ErrorState, Link, List, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { ContactAdvocateCard } from '../../cards/components/ContactAdvocateCard';
import { buildAsk, buildConsent, buildContactView } from './builders';
import { BASE_URL, eventually, installFetch, textOf, variables } from './fetch-mock';

const ADVOCATE = '/hubspot/v1/contacts/123/advocate';

function renderCard() {
  const r = createRenderer('crm.record.sidebar');
  r.mocks.context.crm.objectId = 123;
  r.mocks.context.variables = variables;
  r.render(<ContactAdvocateCard context={r.mocks.context} />);
  return r;
}

describe('contact advocate card', () => {
  it('when the backend has not answered yet, then a loading spinner shows', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCATE, { hold: true });
    const r = renderCard();
    await eventually(() => expect(fetch.calls.map((c) => c.url)).toEqual([`${BASE_URL}${ADVOCATE}`]));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading advocate profile');
  });

  it('when the contact is unknown, then the backend message shows with Retry, and Retry loads the profile', async () => {
    const fetch = installFetch();
    fetch.on('GET', ADVOCATE, { status: 404, body: { error: { code: 'CONTACT_NOT_FOUND', message: 'no contact 123 (with an account) in this portal', requestId: 'r' } } }, { status: 200, body: buildContactView() });
    const r = renderCard();
    await eventually(() => expect(textOf(r.findByTestId(ErrorState, 'load-error'))).toContain('no contact 123 (with an account) in this portal'));
    r.findByTestId(Button, 'retry').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Text, 'latest-nps').text).toBe('9/10 on 2026-10-02'));
  });

  it('when the contact is an advocate with history, then profile, last ask, caps left and consents show', async () => {
    const fetch = installFetch();
    const last = buildAsk({ askType: 'quote', status: 'completed', statusAt: '2026-06-01T12:00:00.000Z', outcomeNote: 'quote on the website' });
    fetch.ok('GET', ADVOCATE, buildContactView({
      lastAsk: last,
      asks: [last, buildAsk({ askId: 'a0' })],
      caps: { accountAsks: { used: 3, max: 3, availableOn: '2027-01-15' }, referenceCalls: { used: 1, max: 2, availableOn: null } },
      consents: [buildConsent(), buildConsent({ consentId: 'old', scope: 'logo', revokedOn: '2026-04-01' })],
    }));
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(Text, 'last-ask').text).toBe('Quote: completed since 2026-06-01 — quote on the website (2 in all)'));
    expect(r.findByTestId(Text, 'cap-account').text).toBe('none left until 2027-01-15');
    expect(r.findByTestId(Text, 'cap-reference').text).toBe('1 of 2 left');
    expect(textOf(r.findByTestId(List, 'consents'))).toBe('Quote until 2027-03-01');
    expect(r.maybeFindByTestId(Alert, 'do-not-contact')).toBeNull();
  });

  it('when the contact is marked do-not-contact and never asked, then the warning and the empty state show', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCATE, buildContactView({ contact: { contactId: '123', accountId: 'a-1', name: 'Alex Krycek', title: null, seniority: null, doNotContact: true }, latestNps: null }));
    const r = renderCard();
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'do-not-contact'))).toContain('Alex Krycek is marked do-not-contact'));
    expect(r.findByTestId(EmptyState, 'no-asks').props.title).toBe('Never asked');
    expect(r.findByTestId(Text, 'latest-nps').text).toBe('no NPS response');
    expect(r.findByTestId(Text, 'no-consents').text).toBe('No consent on record.');
  });
});

describe('contact advocate card: the way to the ask', () => {
  it('when the contact has an ask, then a link opens its company record, where the company card shows and moves the ask', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCATE, buildContactView({ lastAsk: buildAsk({ accountId: 'a-1' }), asks: [buildAsk({ accountId: 'a-1' })] }));
    const r = createRenderer('crm.record.sidebar');
    r.mocks.context.crm.objectId = 123;
    r.mocks.context.variables = variables;
    r.mocks.context.portal.id = 4242;
    r.render(<ContactAdvocateCard context={r.mocks.context} />);
    await eventually(() => expect(r.findByTestId(Link, 'company-ask-link')).toBeTruthy());
    expect(r.findByTestId(Link, 'company-ask-link').props.href).toBe('https://app.hubspot.com/contacts/4242/record/0-2/a-1');
  });

  it('when the contact was never asked, then there is no link', async () => {
    const fetch = installFetch();
    fetch.ok('GET', ADVOCATE, buildContactView());
    const r = renderCard();
    await eventually(() => expect(r.findByTestId(EmptyState, 'no-asks')).toBeTruthy());
    expect(r.maybeFindByTestId(Link, 'company-ask-link')).toBeNull();
  });
});
