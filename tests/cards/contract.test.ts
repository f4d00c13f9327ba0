import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { CRM_ERROR_CODES, CrmError } from '../../backend/src/crm/errors';
import { TRANSITIONS } from '../../backend/src/domain/ask-lifecycle';
import { DOMAIN_ERROR_CODES, DomainError } from '../../backend/src/domain/errors';
import { ERROR_STATUS, errorMiddleware, HTTP_ERROR_CODES, HttpError, type ErrorCode } from '../../backend/src/http/errors';
import { ImportError } from '../../backend/src/import/read-import-file';
import { MATCH_ATTRIBUTES as BACKEND_MATCH_ATTRIBUTES, type MatchResult as BackendMatchResult, type ReferenceNeed as BackendNeed } from '../../backend/src/domain/reference-match';
import { ASK_STATUSES as BACKEND_ASK_STATUSES, ASK_TYPES as BACKEND_ASK_TYPES } from '../../backend/src/domain/types';
import type { ReferenceRequestView as BackendRequestView } from '../../backend/src/use-cases/reference-requests';
import type { AccountAdvocacyView as BackendAccountView, AskView as BackendAskView, ContactAdvocateView as BackendContactView } from '../../backend/src/use-cases/views';
import { SIGNAL_LABELS } from '../../cards/lib/format';
import * as Card from '../../cards/lib/types';
import { defaultCriteria } from '../support/builders';
import { errorReply, installFetch } from './fetch-mock';

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

  // Every code the backend can answer, raised the way the backend raises it. Typed over the
  // whole union: a code added to the backend without a line here fails to compile.
  const raise: Record<ErrorCode, () => unknown> = {
    ...(Object.fromEntries(DOMAIN_ERROR_CODES.map((c) => [c, () => new DomainError(c, `refused: ${c}`)])) as Record<(typeof DOMAIN_ERROR_CODES)[number], () => unknown>),
    ...(Object.fromEntries(CRM_ERROR_CODES.map((c) => [c, () => new CrmError(c, `crm: ${c}`)])) as Record<(typeof CRM_ERROR_CODES)[number], () => unknown>),
    ...(Object.fromEntries(HTTP_ERROR_CODES.map((c) => [c, () => new HttpError(c, `http: ${c}`)])) as Record<(typeof HTTP_ERROR_CODES)[number], () => unknown>),
    VALIDATION_FAILED: () => z.object({ dueOn: z.string() }).safeParse({}).error,
    IMPORT_REJECTED: () => new ImportError('accounts.csv', [{ row: 2, column: 'account_id', message: 'Required' }] as never),
    MALFORMED_JSON: () => Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }),
    BODY_TOO_LARGE: () => Object.assign(new Error('request entity too large'), { type: 'entity.too.large' }),
    INTERNAL: () => new Error('relation "asks" does not exist'),
  };

  it('when the backend refuses with any of its codes, then it answers the status of its one table, and the card fixture answers the same', async () => {
    const app = express();
    app.get('/raise/:code', (req) => {
      throw raise[req.params.code as ErrorCode]();
    });
    app.use(errorMiddleware);
    const codes = Object.keys(ERROR_STATUS) as ErrorCode[];
    expect(codes.sort()).toEqual(Object.keys(raise).sort());
    for (const code of codes) {
      const res = await request(app).get(`/raise/${code}`);
      expect({ code, status: res.status, answered: res.body.error.code }).toEqual({ code, status: ERROR_STATUS[code], answered: code });
      expect(errorReply(code, 'x').status).toBe(res.status);
    }
  });

  it('when a card test sets up an error answer with a status the backend does not give its code, then the fixture refuses it', () => {
    const fetch = installFetch();
    expect(() => fetch.on('POST', '/x', { status: 422, body: { error: { code: 'NO_ADVOCATE', message: 'no owning CSM' } } })).toThrow('the fixture answers NO_ADVOCATE with 422; the backend answers it with 409');
    expect(() => fetch.on('GET', '/x', { status: 401, body: { error: { code: 'STALE_TIMESTAMP' } } })).toThrow('which the backend does not have');
    expect(() => fetch.on('POST', '/x', { status: 409, body: { error: { code: 'NO_ADVOCATE', message: 'no owning CSM' } } })).not.toThrow();
  });
});
