import { LightningElement, api } from 'lwc';
import getOpportunityReferences from '@salesforce/apex/AdvocacyUiController.getOpportunityReferences';
import matchReferences from '@salesforce/apex/AdvocacyUiController.matchReferences';
import requestReference from '@salesforce/apex/AdvocacyUiController.requestReference';
import recordOutcome from '@salesforce/apex/AdvocacyUiController.recordOutcome';
import { LABELS } from 'c/advocacyLabels';
import { askTypeOptions, callBackend, day, errorOf, format } from 'c/advocacyApi';

// Opportunity record page: request a reference. The need is prefilled from the Opportunity and
// its Account; "Find advocates" ranks matches with what each shares; "Request" sends the
// request to the advocate's CSM; the deal's requests show their stage and service levels; a
// scheduled reference is recorded as held, with what the advocate and the prospect said. The
// same answers as the HubSpot deal card (/deals/:id/reference-requests, /reference-matches).

const NEED_FIELDS = ['industry', 'sizeBand', 'region', 'product', 'useCase', 'competitor', 'language'];
const STAGE_LABEL = {
    requested: LABELS.Advocacy_Stage_requested,
    approved: LABELS.Advocacy_Stage_approved,
    scheduled: LABELS.Advocacy_Stage_scheduled,
    completed: LABELS.Advocacy_Stage_completed,
    declined: LABELS.Advocacy_Stage_declined
};

export default class AdvocacyOpportunityReference extends LightningElement {
    @api recordId;
    labels = LABELS;
    loading = true;
    loadError = null;
    need = null;
    requests = [];
    matchResult = null;
    matching = false;
    matchError = null;
    busy = false;
    actionMessage = null;
    actionError = null;
    completing = null;
    feedback = { advocate: '', prospect: '', note: '' };

    connectedCallback() {
        this.load();
    }

    async load({ quiet = false } = {}) {
        if (!quiet) this.loading = true;
        this.loadError = null;
        try {
            const view = await callBackend(getOpportunityReferences, { opportunityId: this.recordId });
            if (!quiet || !this.need) this.need = { ...view.prefill };
            this.requests = view.requests;
        } catch (e) {
            this.loadError = errorOf(e).message;
        } finally {
            this.loading = false;
        }
    }

    handleRetry() {
        this.load();
    }

    get ready() {
        return !this.loading && !this.loadError && this.need !== null;
    }
    get askTypeOptions() {
        return askTypeOptions();
    }
    get needFields() {
        return NEED_FIELDS.map((name) => ({ name, label: LABELS[`Advocacy_Need_${name}`], value: this.need[name] || '' }));
    }
    handleNeedField(event) {
        const value = event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value;
        this.need = { ...this.need, [event.target.name]: value === '' ? null : value };
    }
    /** What the backend's reference need takes: blanks left out. */
    get needBody() {
        const body = { askType: this.need.askType };
        for (const name of [...NEED_FIELDS, 'dueOn']) if (this.need[name]) body[name] = this.need[name];
        return body;
    }

    async handleFindMatches() {
        this.matching = true;
        this.matchError = null;
        try {
            this.matchResult = await callBackend(matchReferences, { opportunityId: this.recordId, needJson: JSON.stringify(this.needBody) });
        } catch (e) {
            this.matchResult = null;
            this.matchError = errorOf(e).message;
        } finally {
            this.matching = false;
        }
    }

    get hasMatchResult() {
        return this.matchResult !== null;
    }
    get matches() {
        return (this.matchResult ? this.matchResult.matches : []).map((m) => ({
            ...m,
            why: m.matched.map((x) => `${LABELS[`Advocacy_Need_${x.attribute}`] || x.attribute} ${x.value}`).join(', '),
            lastUsed: m.lastUsedOn ? format(LABELS.Advocacy_Last_Used, m.lastUsedOn) : LABELS.Advocacy_Not_Used_Yet
        }));
    }
    get hasMatches() {
        return this.matches.length > 0;
    }
    get noMatchText() {
        return (this.matchResult && this.matchResult.explanation) || LABELS.Advocacy_No_Match;
    }

    async run(action, success) {
        this.busy = true;
        this.actionMessage = null;
        this.actionError = null;
        try {
            const answer = await action();
            this.actionMessage = typeof success === 'function' ? success(answer) : success;
            await this.load({ quiet: true });
        } catch (e) {
            this.actionError = errorOf(e).message;
        } finally {
            this.busy = false;
        }
    }

    handleRequest(event) {
        const contactId = event.target.dataset.contactId;
        const need = this.needBody;
        this.run(async () => {
            const answer = await callBackend(requestReference, { opportunityId: this.recordId, needJson: JSON.stringify(need), contactId });
            // The requested advocate is no longer offered; the list is found again on the next search.
            this.matchResult = null;
            return answer;
        }, (r) => format(LABELS.Advocacy_Requested, r.request.contactName || contactId));
    }

    get hasRequests() {
        return this.requests.length > 0;
    }
    get requestRows() {
        return this.requests.map((r) => ({
            ...r,
            stage: STAGE_LABEL[r.status] || r.status,
            requested: day(r.requestedAt),
            who: r.contactName || '—',
            company: r.accountName || '—',
            serviceLevel: r.overdue ? format(LABELS.Advocacy_Overdue, r.overdueReason || '') : LABELS.Advocacy_On_Time,
            serviceClass: r.overdue ? 'slds-text-color_error' : 'slds-text-color_success',
            feedbackText: r.feedback ? [r.feedback.advocate && format(LABELS.Advocacy_Feedback_Advocate_Said, r.feedback.advocate), r.feedback.prospect && format(LABELS.Advocacy_Feedback_Prospect_Said, r.feedback.prospect)].filter(Boolean).join(' · ') : '',
            canComplete: r.status === 'scheduled'
        }));
    }

    handleStartComplete(event) {
        this.completing = event.target.dataset.askId;
        this.feedback = { advocate: '', prospect: '', note: '' };
    }
    handleFeedbackField(event) {
        const value = event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value;
        this.feedback = { ...this.feedback, [event.target.name]: value || '' };
    }
    get completingRequest() {
        return this.requests.find((r) => r.askId === this.completing) || null;
    }
    get completeTitle() {
        const r = this.completingRequest;
        return format(LABELS.Advocacy_Record_Reference_With, (r && r.contactName) || '—');
    }
    get completeDisabled() {
        return this.busy;
    }
    handleCancelComplete() {
        this.completing = null;
    }
    handleComplete() {
        const askId = this.completing;
        const feedback = {};
        if (this.feedback.advocate.trim()) feedback.advocate = this.feedback.advocate.trim();
        if (this.feedback.prospect.trim()) feedback.prospect = this.feedback.prospect.trim();
        // Feedback is asked for, not required (as on the HubSpot deal card).
        const body = { status: 'completed' };
        if (Object.keys(feedback).length) body.feedback = feedback;
        if (this.feedback.note.trim()) body.note = this.feedback.note.trim();
        this.run(async () => {
            const answer = await callBackend(recordOutcome, { recordId: this.recordId, askId, outcomeJson: JSON.stringify(body) });
            this.completing = null;
            return answer;
        }, LABELS.Advocacy_Reference_Recorded);
    }
}
