import { LightningElement, api } from 'lwc';
import getContactView from '@salesforce/apex/AdvocacyUiController.getContactView';
import { LABELS } from 'c/advocacyLabels';
import { askTypeLabel, callBackend, day, errorOf, format, statusLabel } from 'c/advocacyApi';

// Contact record page: the advocate profile (latest NPS, last ask, caps left, do-not-contact,
// a pause after unanswered asks, consents) and a link to the account, whose component shows and
// moves the ask. The same answer as the HubSpot contact card (GET /contacts/:id/advocate).

const capText = (cap) => format(LABELS.Advocacy_Cap_Used, cap.used, cap.max) + (cap.availableOn ? ` · ${format(LABELS.Advocacy_Cap_Frees_On, cap.availableOn)}` : '');

export default class AdvocacyContactProfile extends LightningElement {
    @api recordId;
    labels = LABELS;
    view = null;
    loading = true;
    loadError = null;

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        this.loadError = null;
        try {
            this.view = await callBackend(getContactView, { contactId: this.recordId });
        } catch (e) {
            this.view = null;
            this.loadError = errorOf(e).message;
        } finally {
            this.loading = false;
        }
    }

    handleRetry() {
        this.load();
    }

    get ready() {
        return !this.loading && !this.loadError && this.view !== null;
    }
    get contact() {
        return this.view.contact;
    }
    get subtitle() {
        return [this.contact.title, this.contact.seniority].filter(Boolean).join(' · ');
    }
    get npsText() {
        return this.view.latestNps ? format(LABELS.Advocacy_Latest_Nps, this.view.latestNps.score, this.view.latestNps.date) : LABELS.Advocacy_No_Nps;
    }
    get lastAskText() {
        const a = this.view.lastAsk;
        return a ? format(LABELS.Advocacy_Last_Ask, askTypeLabel(a.askType), statusLabel(a.status), day(a.statusAt)) : LABELS.Advocacy_Never_Asked;
    }
    get accountCapText() {
        return capText(this.view.caps.accountAsks);
    }
    get referenceCapText() {
        return capText(this.view.caps.referenceCalls);
    }
    get pausedText() {
        const p = this.view.paused;
        return p ? format(LABELS.Advocacy_Paused_Until, p.until, p.reason) : null;
    }
    get consents() {
        return this.view.consents.map((c) => ({
            ...c,
            text: format(LABELS.Advocacy_Consent_Line, askTypeLabel(c.scope), c.grantedOn, c.evidence) + (c.revokedOn ? ` · ${format(LABELS.Advocacy_Consent_Revoked_On, c.revokedOn)}` : c.expiresOn ? ` · ${format(LABELS.Advocacy_Consent_Until, c.expiresOn)}` : '')
        }));
    }
    get hasConsents() {
        return this.view.consents.length > 0;
    }
    get accountUrl() {
        return `/lightning/r/Account/${encodeURIComponent(this.contact.accountId)}/view`;
    }
}
