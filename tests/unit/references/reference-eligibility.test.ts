import { advocateUnavailableFor, isDealsOwnCompany, referenceCheck, sharesSomethingWith, unavailableNow } from '../../../backend/src/domain/reference-eligibility';
import { AdvocateIndex, type Advocate, type ReferenceNeed } from '../../../backend/src/domain/reference-match';
import { buildContact, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

// Who may be asked for a reference: one rule the matcher and a rep's request both follow.

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

const account = (a: Advocate, ownerId: string | null = 'owner-1') => ({ accountId: a.accountId, name: a.accountName, ownerId });

describe('who may be asked for a reference', () => {
  it('when the index has no such advocate, or the advocate works at the deal\'s own company, then the request is refused before any fresh read', () => {
    expect(referenceCheck({ contactId: 'x', indexed: undefined }, need(), 'acc-deal')).toEqual({ refused: { message: 'contact x is not an advocate in this portal', details: { contactId: 'x' } } });
    const own = advocate('a', { accountId: 'acc-deal' });
    expect(referenceCheck({ contactId: 'a', indexed: own }, need(), 'acc-deal')).toEqual({ refused: { message: "contact a works at the deal's own company, which cannot be its own reference", details: { contactId: 'a' } } });
    const other = advocate('b');
    expect(referenceCheck({ contactId: 'b', indexed: other }, need(), 'acc-deal')).toEqual({ readFresh: other });
  });

  it('when fresh data shows the account gone or the contact gone from it, then the request is refused saying so', () => {
    const a = advocate('a');
    expect(referenceCheck({ contactId: 'a', indexed: a, fresh: { account: null, advocate: undefined } }, need(), null)).toEqual({ refused: { message: "the advocate's account acc-a is no longer in the CRM", details: { contactId: 'a' } } });
    expect(referenceCheck({ contactId: 'a', indexed: a, fresh: { account: account(a), advocate: undefined } }, need(), null)).toEqual({ refused: { message: 'contact a is no longer at Account a', details: { contactId: 'a' } } });
  });

  it('when fresh data makes the advocate unavailable, then the request is refused with the reason, even though the index had them available', () => {
    const indexed = advocate('a');
    const capped = advocate('a', { unavailable: { code: 'FATIGUE_CAP', detail: 'at the ask cap until 2027-01-01', availableOn: '2027-01-01' } });
    const result = referenceCheck({ contactId: 'a', indexed, fresh: { account: account(indexed), advocate: capped } }, need(), null);
    expect(result).toEqual({ refused: { message: 'contact a cannot be asked for this reference now: at the ask cap until 2027-01-01', details: { contactId: 'a', unavailable: capped.unavailable } } });
  });

  it('when the advocate shares nothing with the need, or their account has no CSM, then the request is refused; otherwise the advocate and the approving CSM come back', () => {
    const a = advocate('a');
    const fresh = { account: account(a), advocate: a };
    expect(referenceCheck({ contactId: 'a', indexed: a, fresh }, need({ industry: 'Retail' }), null)).toEqual({ refused: { message: 'contact a shares nothing with this need', details: { contactId: 'a' } } });
    expect(referenceCheck({ contactId: 'a', indexed: a, fresh: { account: account(a, null), advocate: a } }, need(), null)).toEqual({ refused: { message: "the advocate's account has no owning CSM to approve the request", details: { accountId: 'acc-a' } } });
    expect(referenceCheck({ contactId: 'a', indexed: a, fresh }, need(), null)).toEqual({ advocate: a, ownerId: 'owner-1' });
  });

  it('when the ask publishes the customer\'s name, then only an advocate with a consent for that ask type may be asked', () => {
    expect(advocateUnavailableFor(advocate('a'), 'case_study')).toEqual({ code: 'NO_CONSENT', detail: 'no consent on file for a case_study', availableOn: null });
    expect(advocateUnavailableFor(advocate('a', { consentedTo: ['case_study'] }), 'case_study')).toBeNull();
    expect(advocateUnavailableFor(advocate('a'), 'reference_call')).toBeNull();
    expect(advocateUnavailableFor(advocate('a'), 'advisory_board')).toBeNull();
  });

  it('when the need names attributes, then an advocate shares something only on a named one, whatever the case or spacing', () => {
    expect(sharesSomethingWith(advocate('a'), need({ industry: ' fintech ' }))).toBe(true);
    expect(sharesSomethingWith(advocate('a'), need({ industry: null, product: 'CORE' }))).toBe(true);
    expect(sharesSomethingWith(advocate('a'), need({ industry: null }))).toBe(false);
    expect(isDealsOwnCompany(advocate('a'), 'acc-a')).toBe(true);
    expect(isDealsOwnCompany(advocate('a'), null)).toBe(false);
  });

  it('when the matcher ranks advocates, then it offers exactly those the rule lets a rep ask', () => {
    const pool = [advocate('ok'), advocate('own', { accountId: 'acc-deal' }), advocate('capped', { unavailable: { code: 'FATIGUE_CAP', detail: 'capped', availableOn: null } }), advocate('elsewhere', { attributes: { ...advocate('x').attributes, industry: ['Retail'] } })];
    const offered = new AdvocateIndex(pool).match(need(), 10, { excludeAccountId: 'acc-deal' }).matches.map((m) => m.contactId);
    const allowed = pool.filter((a) => 'advocate' in referenceCheck({ contactId: a.contactId, indexed: a, fresh: { account: account(a), advocate: a } }, need(), 'acc-deal')).map((a) => a.contactId);
    expect(offered).toEqual(['ok']);
    expect(allowed).toEqual(offered);
  });

  it('when a contact is do-not-contact or the account is strategic, then it is unavailable now with that reason', () => {
    const criteria = defaultCriteria();
    const dnc = buildSnapshot({ contacts: [buildContact({ doNotContact: true })] });
    expect(unavailableNow(dnc, dnc.contacts[0].contactId, criteria, TODAY)).toMatchObject({ code: 'DO_NOT_CONTACT' });
    const strategic = buildSnapshot({ account: { strategic: true } });
    expect(unavailableNow(strategic, strategic.contacts[0].contactId, criteria, TODAY)).toMatchObject({ code: 'HANDOFF_CONDITION', detail: expect.stringContaining('STRATEGIC_ACCOUNT') });
    const ready = buildSnapshot();
    expect(unavailableNow(ready, ready.contacts[0].contactId, criteria, TODAY)).toBeNull();
  });
});
