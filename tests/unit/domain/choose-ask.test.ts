import type { AskType } from '../../../backend/src/domain/types';
import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import { at, buildAsk, buildConsent, buildContact, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const criteria = defaultCriteria();
const completed = (askType: AskType, id: string) =>
  buildAsk({ askId: id, askType, completedAt: '2025-06-20T10:00:00.000Z' });
// A very ready customer: readiness 96.5 with a VP champion and two completed asks.
const ready = { healthScore: 100, usageDepth: 100, csat: 5, engagement: 100 };

describe('choosing the ask from the ladder', () => {
  test('when nothing has been asked before, then the lowest rung (quote) is proposed by the ladder rule', () => {
    const e = evaluateAccount(buildSnapshot(), criteria, TODAY);
    expect(e.askType).toBe('quote');
    expect(e.proposal?.rule).toEqual({ kind: 'ladder', detail: 'lowest rung of the ladder: quote' });
    expect(e.reasons).toEqual([{ code: 'LADDER', detail: 'lowest rung of the ladder: quote' }]);
  });

  test('when quote and review are completed, then reference_call is next', () => {
    const e = evaluateAccount(buildSnapshot({ asks: [completed('quote', 'a1'), completed('review', 'a2')] }), criteria, TODAY);
    expect(e.askType).toBe('reference_call');
    expect(e.skippedAsks.map((s) => `${s.askType}:${s.code}`)).toEqual(['quote:ALREADY_COMPLETED', 'review:ALREADY_COMPLETED']);
  });

  test('when readiness is below 85, then logo and case study are skipped for READINESS_TOO_LOW', () => {
    const asks = [completed('quote', 'a1'), completed('review', 'a2'), completed('reference_call', 'a3')];
    const e = evaluateAccount(buildSnapshot({ account: { engagement: 0 }, asks }), criteria, TODAY);
    expect(e.readiness!.score).toBe(83.3);
    // speaking and the advisory board need 90 too (and the board has no approved template): nothing is left
    expect(e.decision).toBe('not_ready');
    expect(e.askType).toBeNull();
    expect(e.reasons[0].code).toBe('NO_ASK_AVAILABLE');
    expect(e.skippedAsks.filter((s) => s.code === 'READINESS_TOO_LOW').map((s) => s.askType)).toEqual(['logo', 'case_study', 'speaking', 'advisory_board']);
    expect(e.skippedAsks).toContainEqual(expect.objectContaining({ askType: 'advisory_board', code: 'TEMPLATE_NOT_APPROVED' }));
  });

  test('when readiness is 85 or more, then logo follows the completed reference call', () => {
    const asks = [completed('quote', 'a1'), completed('review', 'a2'), completed('reference_call', 'a3')];
    const e = evaluateAccount(buildSnapshot({ account: ready, asks, contacts: [buildContact({ seniority: 'vp' })] }), criteria, TODAY);
    expect(e.readiness!.score).toBeGreaterThanOrEqual(85);
    expect(e.askType).toBe('logo');
  });

  test('when a speaking ask is open by readiness but the champion is a manager, then SENIORITY_TOO_LOW', () => {
    const asks = ['quote', 'review', 'reference_call', 'logo', 'case_study'].map((t, i) => completed(t as never, `a${i}`));
    const manager = evaluateAccount(buildSnapshot({ account: ready, asks, contacts: [buildContact({ seniority: 'manager' })] }), criteria, TODAY);
    expect(manager.decision).toBe('not_ready');
    expect(manager.reasons.map((r) => r.code)).toContain('SENIORITY_TOO_LOW');
    const director = evaluateAccount(buildSnapshot({ account: ready, asks, contacts: [buildContact({ seniority: 'c_level' })] }), criteria, TODAY);
    expect(director.askType).toBe('speaking');
  });

  test('when the contact declined a quote 11 months ago, then the quote is skipped; 13 months ago, then it is proposed again', () => {
    const declined = (d: string) => buildAsk({ status: 'declined', proposedAt: `${d}T09:00:00.000Z`, sentAt: `${d}T10:00:00.000Z`, acceptedAt: null, declinedAt: `${d}T12:00:00.000Z`, completedAt: null });
    const recent = evaluateAccount(buildSnapshot({ asks: [declined('2025-12-24')] }), criteria, TODAY);
    expect(recent.askType).toBe('review');
    expect(recent.skippedAsks[0]).toMatchObject({ askType: 'quote', code: 'DECLINED_RECENTLY' });
    expect(evaluateAccount(buildSnapshot({ asks: [declined('2025-10-24')] }), criteria, TODAY).askType).toBe('quote');
  });

  test('when the quote template is not approved, then a quote is never proposed (TEMPLATE_NOT_APPROVED)', () => {
    const c = defaultCriteria((x) => { x.templates.quote!.approved = false; });
    const e = evaluateAccount(buildSnapshot(), c, TODAY);
    expect(e.askType).toBe('review');
    expect(e.skippedAsks).toContainEqual({ askType: 'quote', code: 'TEMPLATE_NOT_APPROVED', detail: 'no approved outreach template for quote' });
  });

  test('when no template is approved at all, then not_ready with TEMPLATE_NOT_APPROVED for each rung', () => {
    const c = defaultCriteria((x) => { for (const t of Object.values(x.templates)) t!.approved = false; });
    const e = evaluateAccount(buildSnapshot(), c, TODAY);
    expect(e.decision).toBe('not_ready');
    expect(e.reasons.filter((r) => r.code === 'TEMPLATE_NOT_APPROVED')).toHaveLength(7);
  });

  test('when the contact revoked consent for quotes, then no new quote is proposed (CONSENT_REVOKED)', () => {
    const e = evaluateAccount(buildSnapshot({ consents: [buildConsent({ revokedOn: '2026-02-01' })] }), criteria, TODAY);
    expect(e.askType).toBe('review');
    expect(e.skippedAsks[0]).toMatchObject({ askType: 'quote', code: 'CONSENT_REVOKED' });
  });

  test('when a revoked consent was granted again later, then quotes are allowed again', () => {
    const consents = [buildConsent({ revokedOn: '2026-02-01' }), buildConsent({ consentId: 'c2', grantedOn: '2026-03-01' })];
    expect(evaluateAccount(buildSnapshot({ consents }), criteria, TODAY).askType).toBe('quote');
  });

  test('when a program need matches the segment and its ask is allowed, then it overrides the ladder and names the need', () => {
    const e = evaluateAccount(buildSnapshot({ account: { ...ready, industry: 'fintech' }, contacts: [buildContact({ seniority: 'vp' })] }), criteria, TODAY);
    expect(e.askType).toBe('case_study');
    expect(e.proposal!.rule).toMatchObject({ kind: 'program_need', needId: 'fintech-case-studies-2027' });
    expect(e.reasons[0].code).toBe('PROGRAM_NEED');
  });

  test('when a matching program need asks for more than readiness allows, then the ladder decides and the skip is explained', () => {
    const e = evaluateAccount(buildSnapshot({ account: { industry: 'FinTech' } }), criteria, TODAY);
    expect(e.askType).toBe('quote');
    expect(e.skippedAsks[0]).toMatchObject({ askType: 'case_study', code: 'READINESS_TOO_LOW' });
    expect(e.skippedAsks[0].detail).toContain('fintech-case-studies-2027');
  });

  test('when two needs match, then the higher priority wins', () => {
    const c = defaultCriteria((x) => { x.programNeeds.push({ id: 'na-reviews', askType: 'review', segment: { region: ['NA'] }, priority: 50, active: true }); });
    const e = evaluateAccount(buildSnapshot({ account: { ...ready, industry: 'FinTech' }, contacts: [buildContact({ seniority: 'vp' })] }), c, TODAY);
    expect(e.askType).toBe('review');
    expect(e.proposal!.rule).toMatchObject({ needId: 'na-reviews' });
  });

  test('when a reference-call need matches a contact who already completed reference calls, then it still applies', () => {
    const asks = [completed('reference_call', 'a1')];
    const e = evaluateAccount(buildSnapshot({ account: { region: 'EMEA', sizeBand: 'enterprise' }, asks }), criteria, TODAY);
    expect(e.askType).toBe('reference_call');
    expect(e.proposal!.rule).toMatchObject({ kind: 'program_need', needId: 'emea-references' });
  });

  test('when an inactive need matches, then it is ignored', () => {
    const c = defaultCriteria((x) => { x.programNeeds[1].active = false; });
    expect(evaluateAccount(buildSnapshot({ account: { region: 'EMEA', sizeBand: 'enterprise' } }), c, TODAY).askType).toBe('quote');
  });

  test('when an ask is proposed, then the outreach text is rendered from the approved template', () => {
    const e = evaluateAccount(buildSnapshot(), criteria, TODAY);
    expect(e.proposal!.outreach.subject).toBe('A few words from Acme Analytics?');
    expect(e.proposal!.outreach.body).toContain('Hi Dana,');
    expect(e.proposal!.outreach.body).toContain('Sam Carter');
    expect(e.proposal!.outreach.body).not.toContain('{{');
  });

  test('when a logo was completed by another contact at the account, then logo is not proposed again', () => {
    const asks = [completed('quote', 'a1'), completed('review', 'a2'), completed('reference_call', 'a3'), buildAsk({ askId: 'a4', askType: 'logo', contactId: 'con-9', completedAt: at('2025-07-01') })];
    const e = evaluateAccount(buildSnapshot({ account: ready, asks, contacts: [buildContact({ seniority: 'vp' })] }), criteria, TODAY);
    expect(e.askType).toBe('case_study');
  });
});
