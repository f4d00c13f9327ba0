import { createElement } from 'lwc';
import AdvocacyContactProfile from 'c/advocacyContactProfile';
import getContactView from '@salesforce/apex/AdvocacyUiController.getContactView';
import { apexError, flush, fixture, query, text } from './support/harness';

// The Contact page's advocate profile, rendering the backend's own answers (tests/lwc/fixtures,
// held to the backend by tests/integration/salesforce/lwc-contract.test.ts).

jest.mock('@salesforce/apex/AdvocacyUiController.getContactView', () => ({ default: jest.fn() }), { virtual: true });

const CONTACT = '0035g00000ChampAAA';

function mount() {
    const el = createElement('c-advocacy-contact-profile', { is: AdvocacyContactProfile });
    el.recordId = CONTACT;
    document.body.appendChild(el);
    return el;
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
});

describe('c-advocacy-contact-profile', () => {
    it('when the profile is loading, then a spinner shows and the controller was asked for this contact', async () => {
        getContactView.mockReturnValue(new Promise(() => {}));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="loading"]')).not.toBeNull();
        expect(getContactView).toHaveBeenCalledWith({ contactId: CONTACT });
    });

    it('when the backend answers, then NPS, last ask, caps and consents show with a link to the account', async () => {
        getContactView.mockResolvedValue(JSON.stringify(fixture('contact-with-consent')));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="contact-name"]')).toBe('Champion 0015g00000RefAAAA');
        expect(text(el, '[data-id="contact-subtitle"]')).toBe('Director of Operations · director');
        expect(text(el, '[data-id="latest-nps"]')).toBe('10 on 2026-09-15');
        expect(text(el, '[data-id="last-ask"]')).toBe('Never asked');
        expect(text(el, '[data-id="cap-account"]')).toBe('0 of 4 used');
        expect(text(el, '[data-id="cap-reference"]')).toBe('0 of 2 used');
        expect(text(el, '[data-consent="consent-umbrella-logo"]')).toBe('Consent for Logo since 2025-06-10 (signed form, 2026-10-02)');
        expect(query(el, '[data-id="account-link"]').getAttribute('href')).toBe('/lightning/r/Account/0015g00000RefAAAA/view');
        expect(query(el, '[data-id="do-not-contact"]')).toBeNull();
        expect(query(el, '[data-id="paused"]')).toBeNull();
    });

    it('when the contact was asked, is do-not-contact, paused and at a cap, then each shows', async () => {
        const view = fixture('contact');
        view.contact.doNotContact = true;
        view.lastAsk = { ...fixture('account-sent').openAsk };
        view.caps.referenceCalls = { used: 2, max: 2, availableOn: '2027-01-15' };
        view.paused = { until: '2027-11-01', reason: 'two asks in a row went unanswered' };
        view.consents = [];
        getContactView.mockResolvedValue(JSON.stringify(view));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="do-not-contact"]')).not.toBeNull();
        expect(text(el, '[data-id="paused"]')).toBe('Paused until 2027-11-01: two asks in a row went unanswered');
        expect(text(el, '[data-id="last-ask"]')).toBe('Reference call, Sent on 2026-11-24');
        expect(text(el, '[data-id="cap-reference"]')).toBe('2 of 2 used · the next frees up on 2027-01-15');
        expect(text(el, '[data-id="no-consents"]')).toBe('No consents on record.');
    });

    it('when the backend refuses, then its message shows with Retry, and Retry loads the profile', async () => {
        getContactView.mockRejectedValueOnce(apexError(401, 'ORG_KEY_EXPIRED', 'org key abc expired on 2026-12-24T09:00:00.000Z; issue a new one'));
        getContactView.mockResolvedValueOnce(JSON.stringify(fixture('contact')));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toBe('org key abc expired on 2026-12-24T09:00:00.000Z; issue a new one');
        query(el, '[data-id="retry"]').click();
        await flush();
        expect(getContactView).toHaveBeenCalledTimes(2);
        expect(query(el, '[data-id="load-error"]')).toBeNull();
        expect(text(el, '[data-id="contact-name"]')).toBe('Champion 0015g00000PropAAA');
    });

    it('when the org key is wrong or the backend cannot be reached, then the component says what to check', async () => {
        getContactView.mockRejectedValueOnce(apexError(401, 'UNAUTHORIZED', 'the org key is not one this backend issued'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toContain('OrgKey parameter on the Advocacy Loop External Credential');
        getContactView.mockRejectedValueOnce(apexError(null, 'UNREACHABLE', 'Could not reach Advocacy Loop: Read timed out'));
        query(el, '[data-id="retry"]').click();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toContain('Named Credential');
    });
});
