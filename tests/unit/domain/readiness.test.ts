import { scoreReadiness } from '../../../backend/src/domain/score-readiness';
import { buildAsk, buildContact, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const criteria = defaultCriteria();

describe('readiness score', () => {
  test('when every signal is present, then the contributions add up exactly to the score', () => {
    const s = buildSnapshot();
    const r = scoreReadiness(s, s.contacts[0], criteria, TODAY);
    const sum = r.contributions.reduce((a, c) => a + Math.round(c.points * 10), 0) / 10;
    expect(r.score).toBe(sum);
    expect(r.contributions.map((c) => c.signal)).toEqual(['health', 'nps', 'usage', 'tenure', 'csat', 'seniority', 'engagement', 'priorAdvocacy']);
    // health 88 -> 22, NPS 10 -> 20, usage 70 -> 10.5, tenure 2024-05-01..2026-11-24 (>24 months) -> 10,
    // CSAT 4.5 -> 8.8, director 0.7 -> 7, engagement 60 -> 3, no prior advocacy -> 0
    expect(r.contributions.map((c) => c.points)).toEqual([22, 20, 10.5, 10, 8.8, 7, 3, 0]);
    expect(r.score).toBe(81.3);
    expect(r.band).toBe('green');
  });

  test('when a signal is missing, then it is marked missing with 0 points and named in the note', () => {
    const s = buildSnapshot({ account: { csat: null, usageDepth: null } });
    const r = scoreReadiness(s, s.contacts[0], criteria, TODAY);
    const csat = r.contributions.find((c) => c.signal === 'csat')!;
    expect(csat).toMatchObject({ raw: null, points: 0, missing: true });
    expect(csat.note).toContain('missing, 0 of 10 points');
    expect(r.contributions.find((c) => c.signal === 'usage')!.missing).toBe(true);
    expect(r.contributions.filter((c) => !c.missing).every((c) => c.raw !== null)).toBe(true);
  });

  test('when the champion seniority is unknown, then seniority is missing rather than lowest', () => {
    const s = buildSnapshot({ contacts: [buildContact({ seniority: null })] });
    const r = scoreReadiness(s, s.contacts[0], criteria, TODAY);
    expect(r.contributions.find((c) => c.signal === 'seniority')).toMatchObject({ missing: true, points: 0 });
  });

  test('when the customer has completed advocacy, then prior advocacy earns points', () => {
    const s = buildSnapshot({ asks: [buildAsk({ completedAt: '2026-01-10T10:00:00.000Z' })] });
    const r = scoreReadiness(s, s.contacts[0], criteria, TODAY);
    expect(r.contributions.find((c) => c.signal === 'priorAdvocacy')).toMatchObject({ raw: 1, points: 2.5 });
  });

  test('when tenure is half the full-marks period, then about half the tenure points', () => {
    const s = buildSnapshot({ account: { customerSince: '2025-11-24' } });
    const r = scoreReadiness(s, s.contacts[0], criteria, TODAY);
    expect(r.contributions.find((c) => c.signal === 'tenure')!.points).toBe(5);
  });

  test('when the score is 79.9, then the band is amber; at 50 amber; below 50 red', () => {
    const low = buildSnapshot({ account: { healthScore: 10, usageDepth: 0, csat: 1, engagement: 0, customerSince: '2026-11-01' }, contacts: [buildContact({ seniority: 'individual' })] });
    const r = scoreReadiness(low, low.contacts[0], criteria, TODAY);
    expect(r.band).toBe('red');
  });
});
