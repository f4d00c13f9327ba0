import type { Ask, Consent } from '../../domain/types';
import { escapeHtml, plainText } from '../field-encoding';

// An ask in HubSpot's words: the advocacy-ask custom object's properties (names from
// objects/advocacy-ask.json), or the text of the note that mirrors it on portals without
// custom objects.

type AskExtras = Partial<{ criteriaVersion: string | null; readinessScore: number | null }>;

const day = (ts: string | null | undefined) => (ts ? ts.slice(0, 10) : null);

export function outcomeDate(ask: Ask): string | null {
  return day(ask.completedAt ?? ask.declinedAt ?? ask.noResponseAt ?? ask.cancelledAt ?? ask.acceptedAt);
}

export function askProperties(ask: Ask & AskExtras, outcomeNote: string | null | undefined, consent: Consent | null | undefined): Record<string, string> {
  const props: Record<string, string | number | null | undefined> = {
    ask_name: `${ask.askType} - ${ask.askId}`.slice(0, 255),
    ask_id: ask.askId,
    ask_type: ask.askType,
    status: ask.status,
    proposed_date: day(ask.proposedAt),
    sent_date: day(ask.sentAt),
    outcome_date: outcomeDate(ask),
    outcome: outcomeNote ? plainText(outcomeNote) : null,
    readiness_score: ask.readinessScore ?? null,
    criteria_version: ask.criteriaVersion ?? null,
    ...(consent ? { consent_scope: consent.scope, consent_evidence: plainText(consent.evidence), consent_date: consent.grantedOn, consent_expires: consent.expiresOn } : {}),
  };
  // Absent values are left out rather than sent as "": an update never blanks what a CSM typed.
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

const escape = escapeHtml;

export function askNoteBody(ask: Ask, outcomeNote: string | null | undefined, consent: Consent | null | undefined): string {
  const lines = [
    `<strong>Advocacy ask: ${escape(ask.askType.replace(/_/g, ' '))}</strong> (${escape(ask.status)})`,
    `Proposed ${day(ask.proposedAt)}${ask.sentAt ? `, sent ${day(ask.sentAt)}` : ''}${outcomeDate(ask) ? `, outcome ${outcomeDate(ask)}` : ''}`,
    ...(outcomeNote ? [`Outcome: ${escape(outcomeNote)}`] : []),
    ...(consent ? [`Consent (${escape(consent.scope)}) on ${consent.grantedOn}${consent.expiresOn ? ` until ${consent.expiresOn}` : ''}: ${escape(consent.evidence)}`] : []),
    `Advocacy Loop ask ${escape(ask.askId)}`,
  ];
  return lines.map((l) => `<p>${l}</p>`).join('');
}

/** The end of an ask's note, which a retry after a crash finds the note by. */
export const askNoteMarker = (askId: string) => `<p>Advocacy Loop ask ${escape(askId)}</p>`;

/** `key` (the note's create-once key) ends the note, so a retry after a crash can find it. */
export function consentNoteBody(consent: Consent, key?: string): string {
  return `<p><strong>Advocacy consent: ${escape(consent.scope.replace(/_/g, ' '))}</strong></p><p>Granted ${consent.grantedOn}${consent.expiresOn ? `, expires ${consent.expiresOn}` : ''}${consent.revokedOn ? `, revoked ${consent.revokedOn}` : ''}</p><p>Evidence: ${escape(consent.evidence)}</p>${key ? `<p>${escape(`[advocacy-loop ${key}]`)}</p>` : ''}`;
}
