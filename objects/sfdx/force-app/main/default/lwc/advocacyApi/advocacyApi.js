import { LABELS } from 'c/advocacyLabels';

// What the three Advocacy Loop components share: calling the Apex controller (which returns the
// backend's JSON answer as it came, the same answer the HubSpot cards read), turning its
// failures into a sentence, and the labels of ask types and statuses.

/** The ladder's ask types, in order (backend/src/domain/types.ts ASK_TYPES; a test compares). */
export const ASK_TYPES = ['quote', 'review', 'reference_call', 'logo', 'case_study', 'speaking', 'advisory_board'];

/** Asks that publish the customer's name or brand: completing one needs a consent. */
export const PUBLISHING_ASK_TYPES = ['quote', 'review', 'logo', 'case_study', 'speaking'];

/** Where an ask may go next (backend/src/domain/ask-lifecycle.ts TRANSITIONS; a test compares). */
export const TRANSITIONS = {
    proposed: ['sent', 'cancelled'],
    sent: ['accepted', 'declined', 'no_response', 'cancelled'],
    no_response: ['accepted', 'declined'],
    accepted: ['completed', 'cancelled'],
    declined: [],
    completed: [],
    cancelled: []
};

/** "{0} of {1}" with its arguments. */
export function format(template, ...args) {
    return String(template).replace(/\{(\d+)\}/g, (match, i) => (args[Number(i)] === undefined || args[Number(i)] === null ? '' : String(args[Number(i)])));
}

export const askTypeLabel = (askType) => LABELS[`Advocacy_Ask_${askType}`] || askType;
export const statusLabel = (status) => LABELS[`Advocacy_Status_${status}`] || status;
export const bandLabel = (band) => LABELS[`Advocacy_Band_${band}`] || band;
export const day = (iso) => (iso ? String(iso).slice(0, 10) : '');
export const askTypeOptions = () => ASK_TYPES.map((t) => ({ label: askTypeLabel(t), value: t }));

/** Calls an Apex method of AdvocacyUiController and parses the backend's answer. */
export async function callBackend(method, params) {
    const text = await method(params);
    try {
        return JSON.parse(text);
    } catch (e) {
        const error = new Error(LABELS.Advocacy_Error_Unreadable);
        error.code = 'BAD_RESPONSE';
        throw error;
    }
}

/**
 * What went wrong, as {status, code, message}. The controller throws AuraHandledException whose
 * message is that JSON; anything else (a parse failure, a platform error) is read as it is.
 */
export function errorOf(error) {
    if (error && error.code === 'BAD_RESPONSE') return { status: null, code: 'BAD_RESPONSE', message: error.message };
    const raw = (error && error.body && error.body.message) || (error && error.message) || '';
    let parsed = null;
    try {
        parsed = JSON.parse(raw);
    } catch (e) {
        parsed = null;
    }
    if (parsed && typeof parsed === 'object' && parsed.code) {
        const code = String(parsed.code);
        if (code === 'UNAUTHORIZED') return { status: parsed.status, code, message: LABELS.Advocacy_Error_Unauthorized };
        if (code === 'UNREACHABLE') return { status: null, code, message: LABELS.Advocacy_Error_Unreachable };
        if (code === 'RECORD_NOT_VISIBLE') return { status: parsed.status, code, message: LABELS.Advocacy_Error_Not_Visible };
        return { status: parsed.status === undefined ? null : parsed.status, code, message: parsed.message || LABELS.Advocacy_Error_Generic };
    }
    return { status: null, code: null, message: raw || LABELS.Advocacy_Error_Generic };
}
