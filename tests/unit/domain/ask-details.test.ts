import { askDetails, mergeFeedback, referenceRequestDetails } from '../../../backend/src/domain/ask-details';
import type { ReferenceNeed } from '../../../backend/src/domain/reference-match';

const need: ReferenceNeed = { askType: 'reference_call', industry: 'FinTech', sizeBand: null, region: 'EMEA', product: null, useCase: null, competitor: null, language: null, dueOn: '2026-12-01' };

describe('what an ask keeps beside its lifecycle', () => {
  it('when a reference request is stored and read back, then its need, requester and names come back typed', () => {
    const stored = JSON.parse(JSON.stringify(referenceRequestDetails(need, 'rep@example.com', { contactName: 'Dana Reyes', accountName: 'Initech' })));
    expect(askDetails(stored)).toEqual({ need, requestedBy: 'rep@example.com', contactName: 'Dana Reyes', accountName: 'Initech', feedback: null });
  });

  it('when an ask was stored without details, or with fields of the wrong shape, then those read as null instead of failing', () => {
    expect(askDetails({})).toEqual({ need: null, requestedBy: null, contactName: null, accountName: null, feedback: null });
    expect(askDetails(null)).toEqual({ need: null, requestedBy: null, contactName: null, accountName: null, feedback: null });
    expect(askDetails({ demo: true, contactName: 42, need: { askType: 'coffee' }, feedback: 'great' })).toEqual({ need: null, requestedBy: null, contactName: null, accountName: null, feedback: null });
    expect(askDetails({ rule: { code: 'LADDER' }, accountName: 'Acme' }).accountName).toBe('Acme');
  });

  it('when feedback is given after a reference, then it merges over what the ask had; when none is given, nothing changes', () => {
    expect(mergeFeedback({}, { advocate: 'went well' })).toEqual({ advocate: 'went well' });
    expect(mergeFeedback({ feedback: { advocate: 'went well' } }, { prospect: 'convinced' })).toEqual({ advocate: 'went well', prospect: 'convinced' });
    expect(mergeFeedback({ feedback: { advocate: 'went well' } }, { advocate: 'even better' })).toEqual({ advocate: 'even better' });
    expect(mergeFeedback({ feedback: { advocate: 'went well' } }, {})).toBeNull();
  });
});
