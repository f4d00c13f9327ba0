import { createElement } from 'lwc';
import AdvocacyAccountReadiness from 'c/advocacyAccountReadiness';
import getAccountView from '@salesforce/apex/AdvocacyUiController.getAccountView';
import createAskNow from '@salesforce/apex/AdvocacyUiController.createAskNow';
import recordCsmAsk from '@salesforce/apex/AdvocacyUiController.recordCsmAsk';
import recordOutcome from '@salesforce/apex/AdvocacyUiController.recordOutcome';
import editAskNote from '@salesforce/apex/AdvocacyUiController.editAskNote';
import revokeConsent from '@salesforce/apex/AdvocacyUiController.revokeConsent';
import { apexError, fixture, flush, query, queryAll, text, type } from './support/harness';

// The Account page's readiness component, on the backend's own answers (tests/lwc/fixtures):
// the same states as the HubSpot company card, every click, the errors and Retry.

jest.mock('@salesforce/apex/AdvocacyUiController.getAccountView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.createAskNow', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.recordCsmAsk', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.recordOutcome', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.editAskNote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.revokeConsent', () => ({ default: jest.fn() }), { virtual: true });

const ACCOUNT = '0015g00000PropAAA';
const answer = (name) => JSON.stringify(fixture(name));

function mount() {
    const el = createElement('c-advocacy-account-readiness', { is: AdvocacyAccountReadiness });
    el.recordId = ACCOUNT;
    document.body.appendChild(el);
    return el;
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
});

describe('c-advocacy-account-readiness', () => {
    it('when the view is loading, then a spinner shows and the controller was asked for this account', async () => {
        getAccountView.mockReturnValue(new Promise(() => {}));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="loading"]')).not.toBeNull();
        expect(getAccountView).toHaveBeenCalledWith({ accountId: ACCOUNT });
    });

    it('when the load fails, then the message and Retry show, and Retry loads the view', async () => {
        getAccountView.mockRejectedValueOnce(apexError(502, 'CRM_UNAVAILABLE', 'Advocacy Loop answered 502.'));
        getAccountView.mockResolvedValueOnce(answer('account-propose'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toBe('Advocacy Loop answered 502.');
        expect(query(el, '[data-id="account-name"]')).toBeNull();
        query(el, '[data-id="retry"]').click();
        await flush();
        expect(query(el, '[data-id="load-error"]')).toBeNull();
        expect(text(el, '[data-id="account-name"]')).toBe('Acme Analytics');
    });

    it('when the controller answers something that is not JSON, then it says it cannot read it', async () => {
        getAccountView.mockResolvedValue('<html>');
        const el = mount();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toBe('Advocacy Loop sent an answer this component cannot read.');
    });

    it('when the account is ready, then score, band, each contribution and the proposed ask with its outreach show', async () => {
        getAccountView.mockResolvedValue(answer('account-propose'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="readiness-score"]')).toBe('81.3');
        expect(text(el, '[data-id="readiness-band"]')).toBe('Green');
        expect(text(el, '[data-id="csm-line"]')).toBe('CSM: Sam Carter · health 88');
        const rows = queryAll(el, '[data-id="contributions"] tbody tr');
        expect(rows.map((r) => r.dataset.signal)).toEqual(['health', 'nps', 'usage', 'tenure', 'csat', 'seniority', 'engagement', 'priorAdvocacy']);
        expect(Array.from(rows[0].querySelectorAll('td')).map((td) => td.textContent)).toEqual(['Health score', '88', '22', 'health 88/100']);
        expect(text(el, '[data-id="proposal-title"]')).toBe('Proposed ask: Reference call');
        expect(text(el, '[data-id="propose-reasons"]')).toContain('program need "emea-references"');
        expect(text(el, '[data-id="outreach-subject"]')).toBe("Could a prospect hear about Acme Analytics's experience?");
        expect(text(el, '[data-id="outreach-body"]')).toContain('Would you be open to a reference call');
        expect(text(el, '[data-id="history-empty"]')).toContain('No advocacy history yet');
    });

    it('when the CSM clicks Create task now, then the task is created, said so, and the ask in progress shows', async () => {
        getAccountView.mockResolvedValueOnce(answer('account-propose')).mockResolvedValueOnce(answer('account-proposed'));
        createAskNow.mockResolvedValue(answer('create-ask'));
        const el = mount();
        await flush();
        query(el, '[data-id="create-task"]').click();
        await flush();
        expect(createAskNow).toHaveBeenCalledWith({ accountId: ACCOUNT });
        expect(text(el, '[data-id="action-result"]')).toBe('Task created for the CSM (task task-488ba07b-6414-4ab1-8658-589c7909a26a).');
        expect(text(el, '[data-id="open-ask-title"]')).toBe('Reference call ask is Proposed');
    });

    it('when creating the task fails, then the error shows and the proposal stays', async () => {
        getAccountView.mockResolvedValue(answer('account-propose'));
        createAskNow.mockRejectedValue(apexError(409, 'NOTHING_TO_PROPOSE', 'nothing to propose for this account today'));
        const el = mount();
        await flush();
        query(el, '[data-id="create-task"]').click();
        await flush();
        expect(text(el, '[data-id="action-error"]')).toBe('nothing to propose for this account today');
        expect(text(el, '[data-id="proposal-title"]')).toBe('Proposed ask: Reference call');
        expect(query(el, '[data-id="create-task"]').disabled).toBe(false);
    });

    it('when the scan proposed an ask, then it shows for its contact with the outreach, the rule, and Mark sent', async () => {
        getAccountView.mockResolvedValueOnce(answer('account-proposed')).mockResolvedValueOnce(answer('account-sent'));
        recordOutcome.mockResolvedValue(answer('ask-outcome'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="open-ask"]')).toBe('Proposed for Champion 0015g00000PropAAA on 2026-11-24; nobody has asked them yet. Send the outreach below, then mark it sent.');
        expect(text(el, '[data-id="open-ask-rule"]')).toContain('Why this ask: program need');
        expect(text(el, '[data-id="open-ask-subject"]')).toBe("Could a prospect hear about Acme Analytics's experience?");
        expect(query(el, '[data-id="proposal-title"]')).toBeNull(); // not a second proposal beside it
        const markSent = query(el, '[data-id="mark-sent"]');
        expect(markSent.label).toBe('Mark sent: I asked Champion 0015g00000PropAAA');
        markSent.click();
        await flush();
        expect(recordOutcome).toHaveBeenCalledWith({ recordId: ACCOUNT, askId: 'ask-0b779d2c5dc4fc8e', outcomeJson: JSON.stringify({ status: 'sent' }) });
        expect(text(el, '[data-id="action-result"]')).toBe('Marked sent: now waiting for their answer.');
        expect(text(el, '[data-id="open-ask"]')).toBe('Waiting for an answer from Champion 0015g00000PropAAA: asked on 2026-11-24, today.');
        expect(text(el, '[data-id="open-ask-next"]')).toBe('Next: Accepted, Declined, No response, Cancelled. Record it under “Record an outcome”.');
    });

    it('when the CSM copies the outreach, then subject and body go to the clipboard and the button says so; a refused copy says what to do', async () => {
        const writeText = jest.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('denied'));
        Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
        try {
            getAccountView.mockResolvedValue(answer('account-proposed'));
            const el = mount();
            await flush();
            const copy = query(el, '[data-id="copy-outreach"]');
            expect(copy.label).toBe('Copy outreach');
            copy.click();
            await flush();
            const { subject, body } = fixture('account-proposed').openAsk.outreach;
            expect(writeText).toHaveBeenCalledWith(`${subject}\n\n${body}`);
            expect(query(el, '[data-id="copy-outreach"]').label).toBe('Copied');
            query(el, '[data-id="copy-outreach"]').click();
            await flush();
            expect(text(el, '[data-id="action-error"]')).toBe('Could not copy: select the outreach and copy it yourself.');
        } finally {
            delete navigator.clipboard;
        }
    });

    it('when the browser offers no clipboard, then there is no copy button (the outreach is still shown to select)', async () => {
        getAccountView.mockResolvedValue(answer('account-proposed'));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="copy-outreach"]')).toBeNull();
        expect(query(el, '[data-id="open-ask-body"]')).not.toBeNull();
    });

    it('when the CSM edits the note, then Save note is enabled only for a change and sends it', async () => {
        getAccountView.mockResolvedValue(answer('account-proposed'));
        editAskNote.mockResolvedValue(answer('ask-outcome'));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="save-note"]').disabled).toBe(true);
        type(el, '[data-id="ask-note"]', '  Dana prefers a call first ');
        await flush();
        expect(query(el, '[data-id="save-note"]').disabled).toBe(false);
        query(el, '[data-id="save-note"]').click();
        await flush();
        expect(editAskNote).toHaveBeenCalledWith({ recordId: ACCOUNT, askId: 'ask-0b779d2c5dc4fc8e', note: 'Dana prefers a call first' });
        expect(text(el, '[data-id="action-result"]')).toBe('Note saved.');
    });

    it('when the CSM cancels, then a reason is required and sent with the cancellation', async () => {
        getAccountView.mockResolvedValue(answer('account-proposed'));
        recordOutcome.mockResolvedValue(answer('ask-outcome'));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="cancel-ask"]').disabled).toBe(true);
        type(el, '[data-id="cancel-reason"]', 'renewal talks started');
        await flush();
        query(el, '[data-id="cancel-ask"]').click();
        await flush();
        expect(recordOutcome).toHaveBeenCalledWith({ recordId: ACCOUNT, askId: 'ask-0b779d2c5dc4fc8e', outcomeJson: JSON.stringify({ status: 'cancelled', note: 'renewal talks started' }) });
        expect(text(el, '[data-id="action-result"]')).toBe('Ask cancelled.');
    });

    it('when marking sent fails, then the backend says why and the ask stays proposed', async () => {
        getAccountView.mockResolvedValue(answer('account-proposed'));
        recordOutcome.mockRejectedValue(apexError(409, 'INVALID_TRANSITION', 'ask ask-0b779d2c5dc4fc8e is sent; it cannot move to sent'));
        const el = mount();
        await flush();
        query(el, '[data-id="mark-sent"]').click();
        await flush();
        expect(text(el, '[data-id="action-error"]')).toBe('ask ask-0b779d2c5dc4fc8e is sent; it cannot move to sent');
        expect(query(el, '[data-id="mark-sent"]')).not.toBeNull();
        expect(getAccountView).toHaveBeenCalledTimes(1);
    });

    it('when the ask was accepted, then it waits for it to happen with its age', async () => {
        const view = fixture('account-sent');
        Object.assign(view.openAsk, { status: 'accepted', statusAt: '2026-11-21T10:00:00.000Z', ageDays: 3, next: ['completed', 'cancelled'], csmOwned: true, outcomeNote: 'call on Tuesday' });
        getAccountView.mockResolvedValue(JSON.stringify(view));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="open-ask"]')).toBe('Champion 0015g00000PropAAA accepted on 2026-11-21 (3 days ago). Record it completed once it has happened.');
        expect(query(el, '[data-id="open-ask-csm-owned"]')).not.toBeNull();
        expect(text(el, '[data-id="open-ask-note"]')).toBe('call on Tuesday');
        expect(text(el, '[data-id="open-ask-next"]')).toContain('Next: Completed, Cancelled.');
    });

    it('when the account is handed off, then every reason shows and the CSM records the ask they made', async () => {
        getAccountView.mockResolvedValue(answer('account-handoff'));
        recordCsmAsk.mockResolvedValue(answer('csm-ask'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="handoff"]')).toContain('The CSM needs to act before anyone asks');
        expect(text(el, '[data-id="handoff-reasons"]')).toBe('the account is flagged strategic: the CSM owns any advocacy ask directly');
        expect(text(el, '[data-id="next-ask-hint"]')).toBe('Once clear, the next ask would be: Quote.');
        expect(query(el, '[data-id="csm-ask-contact"]').options).toEqual([{ label: 'Champion 0015g00000StratAAA', value: 'con-0015g00000StratAAA' }]);
        type(el, '[data-id="csm-ask-type"]', 'case_study');
        type(el, '[data-id="csm-ask-date"]', '2026-11-20');
        type(el, '[data-id="csm-ask-note"]', ' asked at the QBR ');
        await flush();
        query(el, '[data-id="csm-ask-submit"]').click();
        await flush();
        expect(recordCsmAsk).toHaveBeenCalledWith({ accountId: ACCOUNT, askType: 'case_study', contactId: 'con-0015g00000StratAAA', askedOn: '2026-11-20', note: 'asked at the QBR' });
        expect(text(el, '[data-id="action-result"]')).toBe('Your ask is recorded: the caps, cooldowns and KPIs count it.');
    });

    it('when the CSM-owned ask is refused, then the reason shows (a date in the future)', async () => {
        getAccountView.mockResolvedValue(answer('account-handoff'));
        recordCsmAsk.mockRejectedValue(apexError(400, 'DATE_IN_FUTURE', 'askedOn 2026-12-01 is after today (2026-11-24)'));
        const el = mount();
        await flush();
        query(el, '[data-id="csm-ask-submit"]').click();
        await flush();
        expect(text(el, '[data-id="action-error"]')).toBe('askedOn 2026-12-01 is after today (2026-11-24)');
    });

    it('when the account is not ready, then the failed gates and the missing signals show', async () => {
        getAccountView.mockResolvedValue(answer('account-not-ready'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="not-ready-reasons"]')).toBe('health 42 is below 80');
        expect(text(el, '[data-id="missing-signals"]')).toBe('Missing in Salesforce: CSAT');
        expect(text(el, '[data-id="readiness-band"]')).toBe('Amber');
        const csat = queryAll(el, '[data-id="contributions"] tbody tr').find((r) => r.dataset.signal === 'csat');
        expect(csat.querySelectorAll('td')[1].textContent).toBe('missing');
    });

    it('when the account has no contact to score, then it says so instead of a score', async () => {
        const view = fixture('account-not-ready');
        view.evaluation.readiness = null;
        view.account.ownerName = null;
        view.account.strategic = true;
        getAccountView.mockResolvedValue(JSON.stringify(view));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="readiness-score-missing"]')).toBe('No readiness score: the account has no contact to score.');
        expect(text(el, '[data-id="csm-line"]')).toBe('CSM: nobody owns this account · health 42 · strategic account');
        expect(query(el, '[data-id="contributions"]')).toBeNull();
    });

    it('when the account has consents, then they list with Revoke, and Revoke revokes that consent', async () => {
        getAccountView.mockResolvedValue(answer('account-history'));
        revokeConsent.mockResolvedValue(JSON.stringify({ consent: { consentId: 'consent-umbrella-logo' } }));
        const el = mount();
        await flush();
        expect(text(el, '[data-consent="consent-umbrella-logo"]')).toBe('Consent for Logo since 2025-06-10 (signed form, 2026-10-02)');
        query(el, 'lightning-button[data-consent-id="consent-umbrella-logo"]').click();
        await flush();
        expect(revokeConsent).toHaveBeenCalledWith({ recordId: ACCOUNT, consentId: 'consent-umbrella-logo' });
        expect(text(el, '[data-id="action-result"]')).toBe('Consent revoked: no new ask of that kind will be proposed.');
    });

    it('when an ask is completed with the outcome form, then a publishing ask needs consent evidence, which is sent with it', async () => {
        const view = fixture('account-sent');
        const quote = { ...view.asks[0], askId: 'ask-quote-1', askType: 'quote', status: 'accepted' };
        view.asks = [quote, { ...view.asks[0], askId: 'ask-done', status: 'completed', outcomeNote: 'logo live' }];
        getAccountView.mockResolvedValue(JSON.stringify(view));
        recordOutcome.mockResolvedValue(JSON.stringify({ ask: { ...quote, status: 'completed' } }));
        const el = mount();
        await flush();
        const history = queryAll(el, '[data-id="history-asks"] tbody tr');
        expect(history.map((r) => r.dataset.askId)).toEqual(['ask-quote-1', 'ask-done']);
        expect(history[1].querySelectorAll('td')[4].textContent).toBe('logo live');
        // Only asks that can still move are offered.
        expect(query(el, '[data-id="outcome-ask"]').options.map((o) => o.value)).toEqual(['ask-quote-1']);
        type(el, '[data-id="outcome-ask"]', 'ask-quote-1');
        await flush();
        expect(query(el, '[data-id="outcome-status"]').options.map((o) => o.value)).toEqual(['completed', 'cancelled']);
        type(el, '[data-id="outcome-status"]', 'completed');
        await flush();
        expect(query(el, '[data-id="outcome-evidence"]')).not.toBeNull();
        expect(query(el, '[data-id="outcome-submit"]').disabled).toBe(true);
        type(el, '[data-id="outcome-evidence"]', 'email of 27 November');
        type(el, '[data-id="outcome-expires"]', '2027-11-27');
        await flush();
        query(el, '[data-id="outcome-submit"]').click();
        await flush();
        expect(recordOutcome).toHaveBeenCalledWith({ recordId: ACCOUNT, askId: 'ask-quote-1', outcomeJson: JSON.stringify({ status: 'completed', consent: { scope: 'quote', evidence: 'email of 27 November', expiresOn: '2027-11-27' } }) });
        expect(text(el, '[data-id="action-result"]')).toBe('Recorded: the ask is now Completed.');
    });

    it('when the outcome is refused for want of consent, then the backend says so', async () => {
        const view = fixture('account-sent');
        view.asks = [{ ...view.asks[0], askType: 'reference_call', status: 'sent' }];
        getAccountView.mockResolvedValue(JSON.stringify(view));
        recordOutcome.mockRejectedValue(apexError(409, 'CONSENT_REQUIRED', 'a quote cannot be completed without a consent record'));
        const el = mount();
        await flush();
        type(el, '[data-id="outcome-ask"]', view.asks[0].askId);
        await flush();
        type(el, '[data-id="outcome-status"]', 'declined');
        type(el, '[data-id="outcome-note"]', 'not this year');
        await flush();
        expect(query(el, '[data-id="outcome-evidence"]')).toBeNull();
        query(el, '[data-id="outcome-submit"]').click();
        await flush();
        expect(JSON.parse(recordOutcome.mock.calls[0][0].outcomeJson)).toEqual({ status: 'declined', note: 'not this year' });
        expect(text(el, '[data-id="action-error"]')).toBe('a quote cannot be completed without a consent record');
    });
});
