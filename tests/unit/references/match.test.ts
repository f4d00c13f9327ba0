import { advocatesOf } from '../../../backend/src/domain/reference-advocates';
import { AdvocateIndex, type Advocate, type ReferenceNeed } from '../../../backend/src/domain/reference-match';
import { overdue, plusBusinessDays } from '../../../backend/src/domain/service-levels';
import { buildAsk, buildContact, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const need = (over: Partial<ReferenceNeed> = {}): ReferenceNeed => ({ askType: 'reference_call', industry: 'FinTech', sizeBand: null, region: null, product: null, useCase: null, competitor: null, language: null, dueOn: null, ...over });

function advocate(id: string, over: Partial<Advocate> = {}): Advocate {
  return {
    contactId: id,
    contactName: `Contact ${id}`,
    accountId: `acc-${id}`,
    accountName: `Account ${id}`,
    attributes: { industry: ['FinTech'], sizeBand: ['mid-market'], region: ['EMEA'], product: ['core'], useCase: [], competitor: [], language: [] },
    readiness: 80,
    lastUsedOn: null,
    unavailable: null,
    consentedTo: [],
    ...over,
  };
}

describe('reference matching', () => {
  it('when advocates share more of the need, then they rank higher, and each match lists what matched', () => {
    const index = new AdvocateIndex([advocate('a'), advocate('b', { attributes: { ...advocate('b').attributes, region: ['NA'] } }), advocate('c', { attributes: { ...advocate('c').attributes, industry: ['Retail'] } })]);
    const { matches } = index.match(need({ region: 'EMEA' }));
    expect(matches.map((m) => [m.contactId, m.score])).toEqual([['a', 45], ['b', 30], ['c', 15]]);
    expect(matches[0].matched).toEqual([{ attribute: 'industry', value: 'FinTech', weight: 30 }, { attribute: 'region', value: 'EMEA', weight: 15 }]);
  });

  it('when two advocates fit equally, then the one used least recently comes first, and one never used before both', () => {
    const index = new AdvocateIndex([advocate('recent', { lastUsedOn: '2026-10-01' }), advocate('older', { lastUsedOn: '2026-03-01' }), advocate('never')]);
    expect(index.match(need()).matches.map((m) => m.contactId)).toEqual(['never', 'older', 'recent']);
  });

  it('when readiness differs among equal fits, then the readier advocate ranks first', () => {
    const index = new AdvocateIndex([advocate('a', { readiness: 70 }), advocate('b', { readiness: 90 })]);
    expect(index.match(need()).matches[0].contactId).toBe('b');
  });

  it('when every fitting advocate is at its cap, then none is offered and the explanation says until when', () => {
    const capped = (id: string, until: string) => advocate(id, { unavailable: { code: 'FATIGUE_CAP', detail: 'cap', availableOn: until } });
    const result = new AdvocateIndex([capped('a', '2027-02-01'), capped('b', '2027-01-15'), capped('c', '2027-03-01')]).match(need());
    expect(result).toEqual({ matches: [], explanation: '3 fit the industry, all at their cap until 2027-01-15' });
  });

  it('when a publishing ask is requested, then advocates without that consent are not offered', () => {
    const index = new AdvocateIndex([advocate('no-consent'), advocate('consented', { consentedTo: ['quote'] })]);
    expect(index.match(need({ askType: 'quote' })).matches.map((m) => m.contactId)).toEqual(['consented']);
    expect(new AdvocateIndex([advocate('x')]).match(need({ askType: 'case_study' })).explanation).toBe('1 fits the industry, without consent for this ask');
  });

  it("when the deal's own company has advocates, then they are not offered for it", () => {
    const index = new AdvocateIndex([advocate('own', { accountId: 'acc-deal' }), advocate('other')]);
    expect(index.match(need(), 10, { excludeAccountId: 'acc-deal' }).matches.map((m) => m.contactId)).toEqual(['other']);
  });

  it('when nothing shares an attribute, then the explanation names what was asked', () => {
    expect(new AdvocateIndex([advocate('a')]).match(need({ industry: 'Mining' })).explanation).toBe('no advocate fits the industry "Mining"');
  });
});

describe('advocates from an account', () => {
  const criteria = defaultCriteria();
  const codes = (snap: ReturnType<typeof buildSnapshot>) => advocatesOf(snap, criteria, TODAY).map((a) => a.unavailable?.code ?? null);

  it('when the contact is healthy and unasked, then it is available', () => {
    expect(codes(buildSnapshot())).toEqual([null]);
  });

  it('when the contact is do-not-contact, then DO_NOT_CONTACT', () => {
    expect(codes(buildSnapshot({ contacts: [buildContact({ doNotContact: true })] }))).toEqual(['DO_NOT_CONTACT']);
  });

  it('when a gate fails, then NOT_ELIGIBLE', () => {
    expect(codes(buildSnapshot({ account: { healthScore: 60 } }))).toEqual(['NOT_ELIGIBLE']);
  });

  it('when the account is strategic or was asked 30 days ago, then HANDOFF_CONDITION', () => {
    expect(codes(buildSnapshot({ account: { strategic: true } }))).toEqual(['HANDOFF_CONDITION']);
    const recent = buildAsk({ status: 'completed', proposedAt: '2026-10-20T10:00:00.000Z', sentAt: '2026-10-25T10:00:00.000Z', acceptedAt: '2026-10-26T10:00:00.000Z', completedAt: '2026-11-01T10:00:00.000Z' });
    expect(codes(buildSnapshot({ asks: [recent] }))).toEqual(['HANDOFF_CONDITION']);
  });

  it('when the scan proposed an ask the CSM has not sent, then the contact stays available; a pending reference request holds it back', () => {
    const proposal = buildAsk({ askId: 'p1', status: 'proposed', proposedAt: '2026-11-20T10:00:00.000Z', sentAt: null, acceptedAt: null, completedAt: null, dealId: null });
    expect(codes(buildSnapshot({ asks: [proposal] }))).toEqual([null]);
    expect(codes(buildSnapshot({ asks: [{ ...proposal, askType: 'reference_call', dealId: 'deal-9' }] }))).toEqual(['HANDOFF_CONDITION']);
  });

  it('when the account records use cases, competitors replaced and languages, then a need for them matches', () => {
    const snap = buildSnapshot({ account: { useCases: ['onboarding'], competitorsReplaced: ['Gainsight'], languages: ['German'] } });
    const [a] = advocatesOf(snap, criteria, TODAY);
    expect([a.attributes.useCase, a.attributes.competitor, a.attributes.language]).toEqual([['onboarding'], ['Gainsight'], ['German']]);
    const result = new AdvocateIndex([a]).match({ askType: 'reference_call', industry: null, sizeBand: null, region: null, product: null, useCase: 'Onboarding', competitor: 'gainsight', language: 'German', dueOn: null });
    expect(result.matches[0].matched.map((m) => m.attribute)).toEqual(['useCase', 'competitor', 'language']);
  });

  it('when the contact took 2 reference calls this quarter, then FATIGUE_CAP with the day it frees up', () => {
    const call = (id: string, sent: string) => buildAsk({ askId: id, askType: 'reference_call', proposedAt: `${sent}T09:00:00.000Z`, sentAt: `${sent}T10:00:00.000Z`, acceptedAt: `${sent}T11:00:00.000Z`, completedAt: `${sent}T12:00:00.000Z` });
    const [a] = advocatesOf(buildSnapshot({ asks: [call('r1', '2026-09-01'), call('r2', '2026-09-20')] }), criteria, TODAY);
    expect(a.unavailable).toEqual({ code: 'FATIGUE_CAP', detail: 'at the ask cap until 2026-12-01', availableOn: '2026-12-01' });
    expect(a.lastUsedOn).toBe('2026-09-20');
  });
});

describe('service levels', () => {
  it('when a request is made on a Friday, then the CSM decision is due on Tuesday, not Sunday', () => {
    expect(plusBusinessDays('2026-11-20', 2)).toBe('2026-11-24');
    expect(overdue('requested', '2026-11-20T15:00:00.000Z', '2026-11-24')).toBeNull();
    expect(overdue('requested', '2026-11-20T15:00:00.000Z', '2026-11-25')).toBe('the CSM was due to decide by 2026-11-24');
  });

  it('when an approved request passes 5 business days, then it is overdue for fulfilment; completed never is', () => {
    expect(overdue('approved', '2026-11-13T10:00:00.000Z', '2026-11-20')).toBeNull();
    expect(overdue('scheduled', '2026-11-13T10:00:00.000Z', '2026-11-23')).toBe('the reference was due by 2026-11-20');
    expect(overdue('completed', '2026-10-01T10:00:00.000Z', TODAY)).toBeNull();
  });
});

describe('the index against scoring everyone', () => {
  it('when random bases and needs are matched, then the index returns exactly the brute-force top 10', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const industries = ['FinTech', 'SaaS', 'Retail'];
    const sizes = ['smb', 'mid-market', 'enterprise'];
    const regions = ['NA', 'EMEA', 'APAC'];
    const products = ['core', 'analytics', 'automation'];
    for (let round = 0; round < 20; round++) {
      const base: Advocate[] = Array.from({ length: 300 }, (_, i) =>
        advocate(`c${String(i).padStart(4, '0')}`, {
          attributes: { industry: [pick(industries)], sizeBand: [pick(sizes)], region: [pick(regions)], product: products.filter(() => rand() < 0.4), useCase: rand() < 0.3 ? ['onboarding'] : [], competitor: [], language: [] },
          readiness: Math.round(rand() * 40) + 60,
          lastUsedOn: rand() < 0.5 ? null : `2026-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
          unavailable: rand() < 0.2 ? { code: 'FATIGUE_CAP', detail: 'cap', availableOn: '2027-01-01' } : null,
        }),
      );
      const n = need({ industry: pick(industries), sizeBand: rand() < 0.5 ? pick(sizes) : null, region: rand() < 0.5 ? pick(regions) : null, product: rand() < 0.5 ? pick(products) : null, useCase: rand() < 0.3 ? 'onboarding' : null });
      const brute = base
        .filter((a) => !a.unavailable)
        .map((a) => {
          const matched = (['industry', 'sizeBand', 'region', 'product', 'useCase'] as const).filter((k) => n[k] && a.attributes[k].includes(n[k]!));
          const score = matched.reduce((s, k) => s + ({ industry: 30, sizeBand: 20, region: 15, product: 15, useCase: 10 } as const)[k], 0);
          return { contactId: a.contactId, score, readiness: a.readiness, lastUsedOn: a.lastUsedOn };
        })
        .filter((m) => m.score > 0)
        .sort((x, y) => y.score - x.score || y.readiness - x.readiness || (x.lastUsedOn ?? '').localeCompare(y.lastUsedOn ?? '') || x.contactId.localeCompare(y.contactId))
        .slice(0, 10);
      const got = new AdvocateIndex(base).match(n).matches.map((m) => ({ contactId: m.contactId, score: m.score, readiness: m.readiness, lastUsedOn: m.lastUsedOn }));
      expect(got).toEqual(brute);
    }
  });
});
