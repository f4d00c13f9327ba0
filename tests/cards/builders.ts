import type { AccountAdvocacyView, AdvocateMatch, AskView, OpenAskView, Consent, ContactAdvocateView, Contribution, DealReferencesView, Evaluation, ReferenceRequestView } from '../../cards/lib/types';

// Backend answers as the HTTP API returns them (see tests/integration/http), with overrides.

export const buildContributions = (): Contribution[] => [
  { signal: 'health', raw: 86, weight: 30, points: 25.8, missing: false, note: 'health 86/100' },
  { signal: 'nps', raw: 9, weight: 25, points: 22.5, missing: false, note: 'latest NPS 9/10 on 2026-10-02' },
  { signal: 'usage', raw: null, weight: 15, points: 0, missing: true, note: 'no usage depth recorded' },
  { signal: 'tenure', raw: '2023-01-15', weight: 10, points: 10, missing: false, note: 'customer since 2023-01-15 (full marks at 24 months)' },
];

export function buildEvaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    accountId: '123',
    contactId: 'c-1',
    asOf: '2026-11-25',
    decision: 'propose',
    askType: 'review',
    reasons: [{ code: 'LADDER', detail: 'first rung open to this contact: a review' }],
    readiness: { score: 58.3, band: 'amber', contributions: buildContributions() },
    proposal: { askType: 'review', outreach: { subject: 'Would you share your experience, Dana?', body: 'Hi Dana, Acme has been with us for almost four years...' } },
    ownerMustAct: false,
    ...overrides,
  };
}

export function buildAsk(overrides: Partial<AskView> = {}): AskView {
  return {
    askId: 'ask-1',
    accountId: '123',
    contactId: 'c-1',
    contactName: 'Dana Scully',
    dealId: null,
    askType: 'review',
    status: 'sent',
    proposedAt: '2026-10-01T09:00:00.000Z',
    sentAt: '2026-10-02T09:00:00.000Z',
    statusAt: '2026-10-02T09:00:00.000Z',
    taskId: 'task-77',
    outcomeNote: null,
    csmOwned: false,
    ...overrides,
  };
}

/** The account's ask in progress as the advocacy view carries it (a scan's proposal by default). */
export function buildOpenAsk(overrides: Partial<OpenAskView> = {}): OpenAskView {
  return {
    ...buildAsk({ status: 'proposed', sentAt: null, statusAt: '2026-11-25T06:00:00.000Z', proposedAt: '2026-11-25T06:00:00.000Z', taskId: 'task-88' }),
    ageDays: 0,
    next: ['sent', 'cancelled'],
    rule: { kind: 'ladder', detail: 'first rung open to this contact: a review' },
    outreach: { subject: 'Would you share your experience, Dana?', body: 'Hi Dana, Acme has been with us for almost four years...' },
    ...overrides,
  };
}

export function buildConsent(overrides: Partial<Consent> = {}): Consent {
  return { consentId: 'cons-1', accountId: '123', contactId: 'c-1', scope: 'quote', grantedOn: '2026-03-01', evidence: 'email of 1 March', expiresOn: '2027-03-01', revokedOn: null, ...overrides };
}

export function buildAccountView(overrides: Partial<AccountAdvocacyView> = {}): AccountAdvocacyView {
  return {
    account: { accountId: '123', name: 'Acme Corp', ownerId: 'o-1', ownerName: 'Fox Mulder', healthScore: 86, strategic: false },
    evaluation: buildEvaluation(),
    missingSignals: ['usage'],
    contacts: [{ contactId: 'c-1', name: 'Dana Scully', doNotContact: false }, { contactId: 'c-2', name: 'Walter Skinner', doNotContact: false }],
    openAsk: null,
    asks: [],
    consents: [],
    ...overrides,
  };
}

export function buildContactView(overrides: Partial<ContactAdvocateView> = {}): ContactAdvocateView {
  return {
    contact: { contactId: '123', accountId: 'a-1', name: 'Dana Scully', title: 'VP Operations', seniority: 'vp', doNotContact: false },
    latestNps: { score: 9, date: '2026-10-02' },
    lastAsk: null,
    asks: [],
    caps: { accountAsks: { used: 1, max: 3, availableOn: null }, referenceCalls: { used: 0, max: 2, availableOn: null } },
    consents: [],
    ...overrides,
  };
}

export function buildMatch(overrides: Partial<AdvocateMatch> = {}): AdvocateMatch {
  return {
    contactId: 'c-10',
    contactName: 'Walter Skinner',
    accountId: 'a-10',
    accountName: 'Initech',
    score: 65,
    readiness: 72,
    matched: [
      { attribute: 'industry', value: 'Fintech', weight: 30 },
      { attribute: 'sizeBand', value: '201-1000', weight: 20 },
      { attribute: 'product', value: 'Analytics', weight: 15 },
    ],
    lastUsedOn: null,
    ...overrides,
  };
}

export function buildRequest(overrides: Partial<ReferenceRequestView> = {}): ReferenceRequestView {
  return { askId: 'ask-r1', status: 'requested', contactId: 'c-10', contactName: 'Walter Skinner', accountName: 'Initech', requestedAt: '2026-11-20T10:00:00.000Z', overdue: false, overdueReason: null, outcomeNote: null, feedback: null, ...overrides };
}

export function buildDealView(overrides: Partial<DealReferencesView> = {}): DealReferencesView {
  return {
    prefill: { askType: 'reference_call', industry: 'Fintech', sizeBand: '201-1000', region: 'EMEA', product: 'Analytics', useCase: null, competitor: null, language: null, dueOn: null },
    requests: [],
    ...overrides,
  };
}
