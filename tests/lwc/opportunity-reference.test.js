import { createElement } from 'lwc';
import AdvocacyOpportunityReference from 'c/advocacyOpportunityReference';
import getOpportunityReferences from '@salesforce/apex/AdvocacyUiController.getOpportunityReferences';
import matchReferences from '@salesforce/apex/AdvocacyUiController.matchReferences';
import requestReference from '@salesforce/apex/AdvocacyUiController.requestReference';
import recordOutcome from '@salesforce/apex/AdvocacyUiController.recordOutcome';
import { apexError, fixture, flush, query, queryAll, text, type } from './support/harness';

// The Opportunity page's reference request, on the backend's own answers (tests/lwc/fixtures):
// the need prefilled, matches with why, Request, the requests' stages and service levels, and
// recording the reference that took place.

jest.mock('@salesforce/apex/AdvocacyUiController.getOpportunityReferences', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.matchReferences', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.requestReference', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AdvocacyUiController.recordOutcome', () => ({ default: jest.fn() }), { virtual: true });

const DEAL = '0065g00000DealAAA';
const answer = (name) => JSON.stringify(fixture(name));

function mount() {
    const el = createElement('c-advocacy-opportunity-reference', { is: AdvocacyOpportunityReference });
    el.recordId = DEAL;
    document.body.appendChild(el);
    return el;
}

const field = (el, name) => query(el, `lightning-input[data-field="${name}"]`);

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
});

describe('c-advocacy-opportunity-reference', () => {
    it('when the requests are loading, then a spinner shows and the controller was asked for this opportunity', async () => {
        getOpportunityReferences.mockReturnValue(new Promise(() => {}));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="loading"]')).not.toBeNull();
        expect(getOpportunityReferences).toHaveBeenCalledWith({ opportunityId: DEAL });
    });

    it('when the load fails, then the message and Retry show, and Retry loads it', async () => {
        getOpportunityReferences.mockRejectedValueOnce(apexError(404, 'RECORD_NOT_VISIBLE', 'You cannot see this record in Salesforce.'));
        getOpportunityReferences.mockResolvedValueOnce(answer('deal-empty'));
        const el = mount();
        await flush();
        expect(text(el, '[data-id="load-error"]')).toBe('You cannot see this record in Salesforce.');
        query(el, '[data-id="retry"]').click();
        await flush();
        expect(query(el, '[data-id="need-form"]')).not.toBeNull();
    });

    it('when nothing was requested yet, then the need is prefilled from the opportunity and its account', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-empty'));
        const el = mount();
        await flush();
        expect(query(el, '[data-id="need-askType"]').value).toBe('reference_call');
        expect(field(el, 'industry').value).toBe('FinTech');
        expect(field(el, 'sizeBand').value).toBe('mid-market');
        expect(field(el, 'region').value).toBe('EMEA');
        expect(field(el, 'product').value).toBe('core');
        expect(field(el, 'useCase').value).toBe('');
        expect(field(el, 'industry').label).toBe('Industry');
        expect(text(el, '[data-id="no-requests"]')).toBe('No reference requested yet.');
    });

    it('when the rep edits the need and finds advocates, then the edited need is sent and the ranked matches show with why', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-empty'));
        matchReferences.mockResolvedValue(answer('matches'));
        const el = mount();
        await flush();
        type(el, field(el, 'competitor'), 'Gainsight');
        type(el, field(el, 'product'), '');
        type(el, '[data-id="need-dueOn"]', '2026-12-10');
        await flush();
        query(el, '[data-id="find-matches"]').click();
        await flush();
        expect(matchReferences).toHaveBeenCalledWith({ opportunityId: DEAL, needJson: JSON.stringify({ askType: 'reference_call', industry: 'FinTech', sizeBand: 'mid-market', region: 'EMEA', competitor: 'Gainsight', dueOn: '2026-12-10' }) });
        const rows = queryAll(el, '[data-id="matches"] tbody tr');
        expect(rows.map((r) => r.dataset.contact)).toEqual(['con-0015g00000RefAAAA']);
        const cells = Array.from(rows[0].querySelectorAll('td')).map((td) => td.textContent);
        expect(cells.slice(0, 3)).toEqual(['Champion 0015g00000RefAAAA', 'Umbrella', '80']);
        expect(cells[3]).toBe('Industry FinTech, Size band mid-market, Region EMEA, Product corenot a reference yet');
    });

    it('when no advocate fits, then the backend explains why', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-empty'));
        matchReferences.mockResolvedValue(answer('matches-none'));
        const el = mount();
        await flush();
        query(el, '[data-id="find-matches"]').click();
        await flush();
        expect(text(el, '[data-id="no-match"]')).toBe('no advocate fits the industry "Aerospace", the region "APAC"');
        expect(query(el, '[data-id="matches"]')).toBeNull();
    });

    it('when matching fails, then the error shows with Retry, and Retry finds them', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-empty'));
        matchReferences.mockRejectedValueOnce(apexError(null, 'UNREACHABLE', 'Could not reach Advocacy Loop: Read timed out')).mockResolvedValueOnce(answer('matches'));
        const el = mount();
        await flush();
        query(el, '[data-id="find-matches"]').click();
        await flush();
        expect(text(el, '[data-id="match-error"]')).toContain('Could not reach Advocacy Loop');
        query(el, '[data-id="match-retry"]').click();
        await flush();
        expect(query(el, '[data-id="match-error"]')).toBeNull();
        expect(queryAll(el, '[data-id="matches"] tbody tr')).toHaveLength(1);
    });

    it('when the rep requests an advocate, then the request goes to their CSM and shows on the deal', async () => {
        const afterRequest = fixture('deal-empty');
        afterRequest.requests = [fixture('reference-request').request];
        getOpportunityReferences.mockResolvedValueOnce(answer('deal-empty')).mockResolvedValueOnce(JSON.stringify(afterRequest));
        matchReferences.mockResolvedValue(answer('matches'));
        requestReference.mockResolvedValue(answer('reference-request'));
        const el = mount();
        await flush();
        query(el, '[data-id="find-matches"]').click();
        await flush();
        query(el, 'lightning-button[data-contact-id="con-0015g00000RefAAAA"]').click();
        await flush();
        expect(requestReference).toHaveBeenCalledWith({ opportunityId: DEAL, needJson: JSON.stringify({ askType: 'reference_call', industry: 'FinTech', sizeBand: 'mid-market', region: 'EMEA', product: 'core' }), contactId: 'con-0015g00000RefAAAA' });
        expect(text(el, '[data-id="action-result"]')).toBe('Requested Champion 0015g00000RefAAAA: their CSM has a task to approve or decline.');
        const row = query(el, '[data-request="ask-27a3d754ab8b38db"]');
        expect(Array.from(row.querySelectorAll('td')).slice(0, 5).map((td) => td.textContent.trim())).toEqual(['Champion 0015g00000RefAAAA', 'Umbrella', 'Requested', '2026-11-24', 'on time']);
        expect(query(el, '[data-id="matches"]')).toBeNull(); // found again on the next search
    });

    it('when the advocate cannot be asked any more, then the refusal says why', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-empty'));
        matchReferences.mockResolvedValue(answer('matches'));
        requestReference.mockRejectedValue(apexError(409, 'NO_ADVOCATE', 'con-0015g00000RefAAAA cannot be asked: DO_NOT_CONTACT'));
        const el = mount();
        await flush();
        query(el, '[data-id="find-matches"]').click();
        await flush();
        query(el, 'lightning-button[data-contact-id="con-0015g00000RefAAAA"]').click();
        await flush();
        expect(text(el, '[data-id="action-error"]')).toBe('con-0015g00000RefAAAA cannot be asked: DO_NOT_CONTACT');
    });

    it('when a request is overdue, then its service level says what was due', async () => {
        const view = fixture('deal-scheduled');
        Object.assign(view.requests[0], { status: 'requested', overdue: true, overdueReason: 'the CSM was due to decide by 2026-11-24' });
        getOpportunityReferences.mockResolvedValue(JSON.stringify(view));
        const el = mount();
        await flush();
        const cells = Array.from(query(el, '[data-request="ask-27a3d754ab8b38db"]').querySelectorAll('td')).map((td) => td.textContent.trim());
        expect(cells[4]).toBe('overdue: the CSM was due to decide by 2026-11-24');
        expect(query(el, 'lightning-button[data-ask-id="ask-27a3d754ab8b38db"]')).toBeNull(); // only a scheduled reference can be recorded
    });

    it('when a scheduled reference took place, then the rep records it with what both sides said', async () => {
        getOpportunityReferences.mockResolvedValueOnce(answer('deal-scheduled')).mockResolvedValueOnce(answer('deal-completed'));
        recordOutcome.mockResolvedValue(answer('reference-completed'));
        const el = mount();
        await flush();
        expect(query(el, '[data-request="ask-27a3d754ab8b38db"]').querySelectorAll('td')[2].textContent).toBe('Scheduled');
        query(el, 'lightning-button[data-ask-id="ask-27a3d754ab8b38db"]').click();
        await flush();
        expect(text(el, '[data-id="complete-form"] legend')).toBe('The reference call with Champion 0015g00000RefAAAA took place');
        type(el, '[data-id="feedback-advocate"]', 'Happy to help again');
        type(el, '[data-id="feedback-prospect"]', 'Convinced us on the migration risk');
        type(el, '[data-id="feedback-note"]', 'Call held on Tuesday');
        await flush();
        query(el, '[data-id="complete-submit"]').click();
        await flush();
        expect(recordOutcome).toHaveBeenCalledWith({ recordId: DEAL, askId: 'ask-27a3d754ab8b38db', outcomeJson: JSON.stringify({ status: 'completed', feedback: { advocate: 'Happy to help again', prospect: 'Convinced us on the migration risk' }, note: 'Call held on Tuesday' }) });
        expect(text(el, '[data-id="action-result"]')).toBe('Reference recorded as completed.');
        expect(query(el, '[data-id="complete-form"]')).toBeNull();
        const cells = Array.from(query(el, '[data-request="ask-27a3d754ab8b38db"]').querySelectorAll('td')).map((td) => td.textContent.trim());
        expect(cells[2]).toBe('Completed');
        expect(cells[5]).toBe('Call held on Tuesday advocate: Happy to help again · prospect: Convinced us on the migration risk');
    });

    it('when the reference is recorded without feedback, then it is completed all the same (feedback is asked for, not required)', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-scheduled'));
        recordOutcome.mockResolvedValue(answer('reference-completed'));
        const el = mount();
        await flush();
        query(el, 'lightning-button[data-ask-id="ask-27a3d754ab8b38db"]').click();
        await flush();
        expect(query(el, '[data-id="complete-submit"]').disabled).toBe(false);
        query(el, '[data-id="complete-submit"]').click();
        await flush();
        expect(recordOutcome).toHaveBeenCalledWith({ recordId: DEAL, askId: 'ask-27a3d754ab8b38db', outcomeJson: JSON.stringify({ status: 'completed' }) });
    });

    it('when recording the reference fails, then the form stays with the error, and Cancel closes it', async () => {
        getOpportunityReferences.mockResolvedValue(answer('deal-scheduled'));
        recordOutcome.mockRejectedValue(apexError(409, 'INVALID_TRANSITION', 'ask ask-27a3d754ab8b38db is completed; it cannot move to completed'));
        const el = mount();
        await flush();
        query(el, 'lightning-button[data-ask-id="ask-27a3d754ab8b38db"]').click();
        await flush();
        type(el, '[data-id="feedback-prospect"]', 'great call');
        await flush();
        query(el, '[data-id="complete-submit"]').click();
        await flush();
        expect(text(el, '[data-id="action-error"]')).toContain('cannot move to completed');
        expect(query(el, '[data-id="complete-form"]')).not.toBeNull();
        query(el, '[data-id="complete-cancel"]').click();
        await flush();
        expect(query(el, '[data-id="complete-form"]')).toBeNull();
    });
});
