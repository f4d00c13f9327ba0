import { LightningElement, api } from 'lwc';
import getAccountView from '@salesforce/apex/AdvocacyUiController.getAccountView';
import createAskNow from '@salesforce/apex/AdvocacyUiController.createAskNow';
import recordCsmAsk from '@salesforce/apex/AdvocacyUiController.recordCsmAsk';
import recordOutcome from '@salesforce/apex/AdvocacyUiController.recordOutcome';
import editAskNote from '@salesforce/apex/AdvocacyUiController.editAskNote';
import revokeConsent from '@salesforce/apex/AdvocacyUiController.revokeConsent';
import { LABELS } from 'c/advocacyLabels';
import { askTypeLabel, askTypeOptions, bandLabel, callBackend, day, errorOf, format, PUBLISHING_ASK_TYPES, statusLabel, TRANSITIONS } from 'c/advocacyApi';

// Account record page: readiness and why, the decision (the ask in progress, a proposal, a
// hand-off with the CSM's own ask, or what is missing), the advocacy history and consents, and
// recording an outcome. The same states as the HubSpot company card, from the same answer
// (GET /accounts/:id/advocacy).

const BAND_CLASS = { green: 'slds-theme_success', amber: 'slds-theme_warning', red: 'slds-theme_error' };
const ageText = (n) => (n === 0 ? LABELS.Advocacy_Today : n === 1 ? LABELS.Advocacy_One_Day_Ago : format(LABELS.Advocacy_Days_Ago, n));
const today = () => new Date().toISOString().slice(0, 10);

export default class AdvocacyAccountReadiness extends LightningElement {
    @api recordId;
    labels = LABELS;
    view = null;
    loading = true;
    loadError = null;
    busy = false;
    actionMessage = null;
    actionError = null;
    copied = false;
    // Forms
    note = '';
    cancelReason = '';
    csmAsk = { askType: 'reference_call', contactId: null, askedOn: today(), note: '' };
    outcome = { askId: null, status: null, note: '', evidence: '', expiresOn: '' };

    connectedCallback() {
        this.load();
    }

    async load({ quiet = false } = {}) {
        if (!quiet) this.loading = true;
        this.loadError = null;
        try {
            this.view = await callBackend(getAccountView, { accountId: this.recordId });
            this.note = (this.view.openAsk && this.view.openAsk.outcomeNote) || '';
            if (!this.csmAsk.contactId && this.view.contacts.length) this.csmAsk = { ...this.csmAsk, contactId: this.view.contacts[0].contactId };
        } catch (e) {
            if (!quiet) this.view = null;
            this.loadError = errorOf(e).message;
        } finally {
            this.loading = false;
        }
    }

    handleRetry() {
        this.load();
    }

    /** Runs one action: busy while it runs, its result or error shown, the view read again after a success. */
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

    // ---- state ----
    get ready() {
        return !this.loading && !this.loadError && this.view !== null;
    }
    get account() {
        return this.view.account;
    }
    get readiness() {
        return this.view.evaluation.readiness;
    }
    get bandText() {
        return bandLabel(this.readiness.band);
    }
    get bandClass() {
        return `slds-badge ${BAND_CLASS[this.readiness.band] || ''}`;
    }
    get csmLine() {
        const a = this.view.account;
        return format(LABELS.Advocacy_Csm_Line, a.ownerName || LABELS.Advocacy_No_Owner, a.healthScore === null ? LABELS.Advocacy_Missing : a.healthScore) + (a.strategic ? ` · ${LABELS.Advocacy_Strategic}` : '');
    }
    get contributions() {
        const list = (this.readiness && this.readiness.contributions) || [];
        return list.map((c) => ({ ...c, label: LABELS[`Advocacy_Signal_${c.signal}`] || c.signal, value: c.missing ? LABELS.Advocacy_Missing : c.raw === null ? '—' : String(c.raw) }));
    }
    get hasContributions() {
        return this.contributions.length > 0;
    }
    get evaluation() {
        return this.view.evaluation;
    }
    get reasons() {
        return this.evaluation.reasons.map((r, i) => ({ key: `${r.code}-${i}`, ...r }));
    }
    get openAsk() {
        return this.view.openAsk;
    }
    get isPropose() {
        return !this.openAsk && this.evaluation.decision === 'propose' && this.evaluation.proposal !== null;
    }
    get isHandoff() {
        return !this.openAsk && this.evaluation.decision === 'handoff';
    }
    get proposalTitle() {
        return format(LABELS.Advocacy_Proposed_Ask, askTypeLabel(this.evaluation.proposal.askType));
    }
    get handoffTitle() {
        return this.evaluation.ownerMustAct ? LABELS.Advocacy_Handoff_Must_Act : LABELS.Advocacy_Handoff_Hold_Back;
    }
    get nextAskHint() {
        return this.evaluation.proposal ? format(LABELS.Advocacy_Next_Ask_Hint, askTypeLabel(this.evaluation.proposal.askType)) : null;
    }
    get missingSignalsText() {
        return this.view.missingSignals.length ? format(LABELS.Advocacy_Missing_Signals, this.view.missingSignals.map((s) => LABELS[`Advocacy_Signal_${s}`] || s).join(', ')) : null;
    }
    // The ask in progress
    get openAskTitle() {
        return format(LABELS.Advocacy_Open_Ask_Title, askTypeLabel(this.openAsk.askType), statusLabel(this.openAsk.status));
    }
    get openAskText() {
        const a = this.openAsk;
        const who = a.contactName || LABELS.Advocacy_The_Contact;
        if (a.status === 'proposed') return format(LABELS.Advocacy_Open_Ask_Proposed, who, day(a.proposedAt));
        if (a.status === 'sent') return format(LABELS.Advocacy_Open_Ask_Sent, who, day(a.sentAt || a.statusAt), ageText(a.ageDays));
        return format(LABELS.Advocacy_Open_Ask_Accepted, who, day(a.statusAt), ageText(a.ageDays));
    }
    get openAskProposed() {
        return this.openAsk.status === 'proposed';
    }
    get openAskRule() {
        return this.openAsk.rule ? format(LABELS.Advocacy_Why_This_Ask, this.openAsk.rule.detail) : null;
    }
    get openAskNext() {
        return format(LABELS.Advocacy_Next_Outcomes, this.openAsk.next.map(statusLabel).join(', '));
    }
    get markSentLabel() {
        return format(LABELS.Advocacy_Mark_Sent, this.openAsk.contactName || LABELS.Advocacy_Them);
    }
    /** The outreach goes out from the CSM's own mailbox: copied, not sent from here. */
    get canCopy() {
        return typeof navigator !== 'undefined' && Boolean(navigator.clipboard && navigator.clipboard.writeText);
    }
    get copyLabel() {
        return this.copied ? LABELS.Advocacy_Copied : LABELS.Advocacy_Copy_Outreach;
    }
    async handleCopyOutreach() {
        const { subject, body } = this.openAsk.outreach;
        try {
            await navigator.clipboard.writeText(`${subject}\n\n${body}`);
            this.copied = true;
        } catch (e) {
            this.actionError = LABELS.Advocacy_Copy_Failed;
        }
    }
    get saveNoteDisabled() {
        return this.busy || this.note.trim() === ((this.openAsk && this.openAsk.outcomeNote) || '');
    }
    get cancelDisabled() {
        return this.busy || this.cancelReason.trim() === '';
    }
    // The CSM's own ask
    get askTypeOptions() {
        return askTypeOptions();
    }
    get contactOptions() {
        return this.view.contacts.map((c) => ({ label: c.doNotContact ? `${c.name} (${LABELS.Advocacy_Do_Not_Contact})` : c.name, value: c.contactId }));
    }
    get csmAskDisabled() {
        return this.busy || !this.csmAsk.contactId || !this.csmAsk.askedOn;
    }
    // History
    get hasHistory() {
        return this.view.asks.length > 0 || this.view.consents.length > 0;
    }
    get historyAsks() {
        return this.view.asks.map((a) => ({ ...a, typeLabel: askTypeLabel(a.askType), statusText: statusLabel(a.status), since: day(a.statusAt), contact: a.contactName || '—', outcomeText: a.outcomeNote || '—' }));
    }
    get hasAsks() {
        return this.view.asks.length > 0;
    }
    get consents() {
        return this.view.consents.map((c) => ({
            ...c,
            text: format(LABELS.Advocacy_Consent_Line, askTypeLabel(c.scope), c.grantedOn, c.evidence) + (c.revokedOn ? ` · ${format(LABELS.Advocacy_Consent_Revoked_On, c.revokedOn)}` : c.expiresOn ? ` · ${format(LABELS.Advocacy_Consent_Until, c.expiresOn)}` : ''),
            revocable: !c.revokedOn
        }));
    }
    get hasConsents() {
        return this.view.consents.length > 0;
    }
    // Recording an outcome
    get outcomeAsks() {
        return this.view.asks.filter((a) => TRANSITIONS[a.status].length > 0);
    }
    get hasOutcomeAsks() {
        return this.outcomeAsks.length > 0;
    }
    get outcomeAskOptions() {
        return this.outcomeAsks.map((a) => ({ label: `${askTypeLabel(a.askType)} · ${a.contactName || '—'} · ${statusLabel(a.status)}`, value: a.askId }));
    }
    get selectedOutcomeAsk() {
        return this.outcomeAsks.find((a) => a.askId === this.outcome.askId) || null;
    }
    get outcomeStatusOptions() {
        const ask = this.selectedOutcomeAsk;
        return ask ? TRANSITIONS[ask.status].map((s) => ({ label: statusLabel(s), value: s })) : [];
    }
    get needsConsent() {
        const ask = this.selectedOutcomeAsk;
        return Boolean(ask && this.outcome.status === 'completed' && PUBLISHING_ASK_TYPES.includes(ask.askType));
    }
    get outcomeDisabled() {
        return this.busy || !this.selectedOutcomeAsk || !this.outcome.status || (this.needsConsent && this.outcome.evidence.trim() === '');
    }

    // ---- inputs ----
    valueOf(event) {
        return event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value;
    }
    handleNote(event) {
        this.note = this.valueOf(event) || '';
    }
    handleCancelReason(event) {
        this.cancelReason = this.valueOf(event) || '';
    }
    handleCsmAskField(event) {
        this.csmAsk = { ...this.csmAsk, [event.target.name]: this.valueOf(event) };
    }
    handleOutcomeField(event) {
        const field = event.target.name;
        const value = this.valueOf(event);
        this.outcome = field === 'askId' ? { ...this.outcome, askId: value, status: null } : { ...this.outcome, [field]: value || '' };
    }

    // ---- actions ----
    handleCreateTask() {
        this.run(() => callBackend(createAskNow, { accountId: this.recordId }), (r) => (r.taskId ? format(LABELS.Advocacy_Task_Created, r.taskId) : LABELS.Advocacy_Ask_Recorded));
    }
    handleMarkSent() {
        const askId = this.openAsk.askId;
        this.run(() => callBackend(recordOutcome, { recordId: this.recordId, askId, outcomeJson: JSON.stringify({ status: 'sent' }) }), LABELS.Advocacy_Marked_Sent);
    }
    handleSaveNote() {
        const askId = this.openAsk.askId;
        this.run(() => callBackend(editAskNote, { recordId: this.recordId, askId, note: this.note.trim() }), LABELS.Advocacy_Note_Saved);
    }
    handleCancelAsk() {
        const askId = this.openAsk.askId;
        const reason = this.cancelReason.trim();
        this.run(async () => {
            const r = await callBackend(recordOutcome, { recordId: this.recordId, askId, outcomeJson: JSON.stringify({ status: 'cancelled', note: reason }) });
            this.cancelReason = '';
            return r;
        }, LABELS.Advocacy_Ask_Cancelled);
    }
    handleRecordCsmAsk() {
        const { askType, contactId, askedOn, note } = this.csmAsk;
        this.run(() => callBackend(recordCsmAsk, { accountId: this.recordId, askType, contactId, askedOn, note: note.trim() }), LABELS.Advocacy_Csm_Ask_Recorded);
    }
    handleRevokeConsent(event) {
        const consentId = event.target.dataset.consentId;
        this.run(() => callBackend(revokeConsent, { recordId: this.recordId, consentId }), LABELS.Advocacy_Consent_Revoked);
    }
    handleRecordOutcome() {
        const ask = this.selectedOutcomeAsk;
        const body = { status: this.outcome.status };
        if (this.outcome.note.trim()) body.note = this.outcome.note.trim();
        if (this.needsConsent) body.consent = { scope: ask.askType, evidence: this.outcome.evidence.trim(), expiresOn: this.outcome.expiresOn || null };
        this.run(async () => {
            const r = await callBackend(recordOutcome, { recordId: this.recordId, askId: ask.askId, outcomeJson: JSON.stringify(body) });
            this.outcome = { askId: null, status: null, note: '', evidence: '', expiresOn: '' };
            return r;
        }, (r) => format(LABELS.Advocacy_Outcome_Recorded, statusLabel(r.ask.status)));
    }
}
