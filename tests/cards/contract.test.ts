import { TRANSITIONS } from '../../backend/src/domain/ask-lifecycle';
import { MATCH_ATTRIBUTES as BACKEND_MATCH_ATTRIBUTES, type MatchResult as BackendMatchResult, type ReferenceNeed as BackendNeed } from '../../backend/src/domain/reference-match';
import { ASK_STATUSES as BACKEND_ASK_STATUSES, ASK_TYPES as BACKEND_ASK_TYPES } from '../../backend/src/domain/types';
import type { ReferenceRequestView as BackendRequestView } from '../../backend/src/use-cases/reference-requests';
import type { AccountAdvocacyView as BackendAccountView, AskView as BackendAskView, ContactAdvocateView as BackendContactView } from '../../backend/src/use-cases/views';
import { SIGNAL_LABELS } from '../../cards/lib/format';
import * as Card from '../../cards/lib/types';
import { defaultCriteria } from '../support/builders';

// The cards keep their own copy of the backend's answer types (they are bundled by HubSpot
// without the backend). These checks fail when the two drift: the type checks when
// `npx tsc -p cards/tsconfig.json` runs, the values when jest runs.

type Fits<Narrow extends Wide, Wide> = Narrow;
export type BackendAnswersFitTheCards = [
  Fits<BackendAccountView, Card.AccountAdvocacyView>,
  Fits<BackendContactView, Card.ContactAdvocateView>,
  Fits<BackendAskView, Card.AskView>,
  Fits<BackendMatchResult, Card.MatchResult>,
  Fits<BackendRequestView, Card.ReferenceRequestView>,
  Fits<{ prefill: BackendNeed; requests: BackendRequestView[] }, Card.DealReferencesView>,
  Fits<Card.ReferenceNeed, BackendNeed>,
];

describe('the contract between the cards and the backend', () => {
  it('when the backend lists ask types, statuses and match attributes, then the cards know the same ones in the same order', () => {
    expect(Card.ASK_TYPES).toEqual(BACKEND_ASK_TYPES);
    expect(Card.ASK_STATUSES).toEqual(BACKEND_ASK_STATUSES);
    expect(Card.MATCH_ATTRIBUTES).toEqual(BACKEND_MATCH_ATTRIBUTES);
  });

  it('when an ask may move from one status to another in the backend, then the outcome form offers exactly that move', () => {
    expect(Card.ASK_TRANSITIONS).toEqual(TRANSITIONS);
  });

  it('when the criteria weigh a readiness signal, then the company card has a label for it', () => {
    const signals = Object.keys(defaultCriteria().readiness.weights);
    expect(signals.filter((s) => !(s in SIGNAL_LABELS))).toEqual([]);
  });
});
