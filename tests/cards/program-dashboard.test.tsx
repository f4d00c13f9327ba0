import { Alert, BarChart, Button, EmptyState, ErrorState, LineChart, Link, LoadingSpinner, Select, StatisticsItem, Table, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { ProgramDashboardPage } from '../../cards/dashboard/ProgramDashboard';
import type { CandidateView, ProgramDashboardView, ProgramReport } from '../../cards/lib/types';
import { BASE_URL, errorReply, eventually, fire, installFetch, textOf, variables } from './fetch-mock';

// The program dashboard app page with HubSpot's renderer: loading, error with Retry, empty,
// the charts and figures from the report, and the candidates filtered by CSM.

const DASHBOARD = '/hubspot/v1/dashboard?months=6';

function month(m: string, over: Partial<ProgramReport['months'][number]> = {}): ProgramReport['months'][number] {
  return { month: m, eligible: 0, asked: 0, active: 0, size: 0, change: null, sent: 0, accepted: 0, activationRate: null, ...over };
}

function buildReport(over: Partial<ProgramReport> = {}): ProgramReport {
  return {
    asOf: '2026-11-24',
    months: [month('2026-10', { eligible: 12, asked: 3, active: 1, size: 16, sent: 4, accepted: 2, activationRate: 0.5 }), month('2026-11', { eligible: 15, asked: 5, active: 2, size: 22, change: 6, sent: 5, accepted: 4, activationRate: 0.8 })],
    activationRate: { sent: 9, accepted: 6, rate: 6 / 9 },
    acceptanceByAskType: [
      { askType: 'quote', sent: 6, accepted: 4, rate: 4 / 6 },
      { askType: 'review', sent: 3, accepted: 2, rate: 2 / 3 },
      { askType: 'logo', sent: 0, accepted: 0, rate: null },
    ],
    timeToReference: { accounts: 3, medianDays: 410, meanDays: 433 },
    asksByOutcome: { proposed: 4, sent: 5, accepted: 2, declined: 1, no_response: 0, completed: 4, cancelled: 0 },
    references: {
      months: [],
      influencedRevenue: 240000,
      winRate: { withReference: 0.75, withoutReference: 0.4 },
      serviceLevels: { csmDecisionBusinessDays: 2, fulfilmentBusinessDays: 5, requests: 6, decided: 5, decidedInTime: 4, fulfilled: 3, fulfilledInTime: 3, overdueNow: 1 },
    },
    ...over,
  };
}

function candidate(over: Partial<CandidateView>): CandidateView {
  return { accountId: 'a-1', accountName: 'Acme', ownerId: 'o-1', ownerName: 'Sam Carter', stage: 'proposed', askId: 'ask-1', askType: 'quote', contactId: 'c-1', contactName: 'Dana Reyes', since: '2026-11-24T09:00:00.000Z', reasons: [], csmOwned: false, ...over };
}

function buildView(over: Partial<ProgramDashboardView> = {}): ProgramDashboardView {
  return {
    report: buildReport(),
    candidates: [
      candidate({}),
      candidate({ accountId: 'a-2', accountName: 'Globex', stage: 'handed_off', askId: null, reasons: [{ code: 'STRATEGIC_ACCOUNT', detail: 'the account is flagged strategic' }], ownerId: 'o-2', ownerName: 'Jack O\'Neill' }),
      candidate({ accountId: 'a-3', accountName: 'Initech', stage: 'waiting', askType: 'review', csmOwned: true }),
    ],
    candidateTotal: 3,
    owners: [{ ownerId: 'o-2', name: 'Jack O\'Neill' }, { ownerId: 'o-1', name: 'Sam Carter' }],
    ...over,
  };
}

function renderPage(vars: Record<string, unknown> = variables) {
  const r = createRenderer('pages');
  r.mocks.context.variables = vars as Record<string, string>;
  r.mocks.context.portal.id = 4242;
  r.render(<ProgramDashboardPage context={r.mocks.context} />);
  return r;
}

describe('program dashboard page', () => {
  it('when the backend has not answered, then a spinner shows', async () => {
    const fetch = installFetch();
    fetch.on('GET', DASHBOARD, { hold: true });
    const r = renderPage();
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the advocacy program');
    await eventually(() => expect(fetch.calls).toHaveLength(1));
    expect(fetch.calls[0].url).toBe(`${BASE_URL}${DASHBOARD}`);
  });

  it('when the backend fails, then a plain message and Retry show, and Retry loads the page', async () => {
    const fetch = installFetch();
    fetch.on('GET', DASHBOARD, errorReply('CRM_UNAVAILABLE', 'upstream 503'), { status: 200, body: buildView() });
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(ErrorState, 'load-error')).toBeTruthy());
    expect(textOf(r.findByTestId(ErrorState, 'load-error'))).toContain('The Advocacy Loop service had a problem');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await eventually(() => expect(r.findByTestId(LineChart, 'pipeline-chart')).toBeTruthy());
  });

  it('when nothing has been scanned yet, then the page says so instead of empty charts', async () => {
    const fetch = installFetch();
    fetch.ok('GET', DASHBOARD, buildView({ report: buildReport({ months: [month('2026-10'), month('2026-11')] }), candidates: [], candidateTotal: 0, owners: [] }));
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(EmptyState, 'dashboard-empty')).toBeTruthy());
    expect(r.maybeFindByTestId(LineChart, 'pipeline-chart')).toBeNull();
  });

  it('when the profile has no backend URL, then the page explains the set-up problem and calls nothing', () => {
    const fetch = installFetch();
    const r = renderPage({});
    expect(textOf(r.findByTestId(Alert, 'config-problem'))).toContain('ADVOCACY_BACKEND_URL');
    expect(fetch.calls).toHaveLength(0);
  });

  it('when the report arrives, then the pipeline by stage is a line chart per month, activation and acceptance are bar charts, and the reference figures show', async () => {
    const fetch = installFetch();
    fetch.ok('GET', DASHBOARD, buildView());
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(LineChart, 'pipeline-chart')).toBeTruthy());
    const line = r.findByTestId(LineChart, 'pipeline-chart').props;
    expect(line.data).toEqual([
      { month: '2026-10', stage: 'Eligible', advocates: 12 },
      { month: '2026-10', stage: 'Asked', advocates: 3 },
      { month: '2026-10', stage: 'Active', advocates: 1 },
      { month: '2026-11', stage: 'Eligible', advocates: 15 },
      { month: '2026-11', stage: 'Asked', advocates: 5 },
      { month: '2026-11', stage: 'Active', advocates: 2 },
    ]);
    expect(line.axes.options).toEqual({ groupFieldByColor: 'stage' });
    expect(r.findByTestId(BarChart, 'activation-chart').props.data).toEqual([{ month: '2026-10', rate: 50 }, { month: '2026-11', rate: 80 }]);
    expect(r.findByTestId(BarChart, 'acceptance-chart').props.data).toEqual([{ askType: 'Quote', rate: 66.7 }, { askType: 'Review', rate: 66.7 }]);
    expect(r.findByTestId(StatisticsItem, 'stat-pipeline').props.number).toBe(22);
    expect(r.findByTestId(StatisticsItem, 'stat-activation').props.number).toBe('66.7%');
    expect(r.findByTestId(StatisticsItem, 'stat-influenced-revenue').props.number).toBe('240,000');
    expect(r.findByTestId(StatisticsItem, 'stat-win-with').props.number).toBe('75%');
    expect(r.findByTestId(StatisticsItem, 'stat-win-without').props.number).toBe('40%');
    expect(r.findByTestId(Text, 'service-levels').text).toBe('Service levels: 4 of 5 requests decided within 2 business days, 3 of 3 fulfilled within 5; 1 overdue now (6 requests in all).');
  });

  it('when the CRM cannot list closed deals, then the page says reference influence is unavailable', async () => {
    const fetch = installFetch();
    fetch.ok('GET', DASHBOARD, buildView({ report: buildReport({ references: null }) }));
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(Text, 'references-unavailable')).toBeTruthy());
  });

  it('when candidates are listed, then each row links to its company record and shows its stage; picking a CSM asks the backend for theirs', async () => {
    const fetch = installFetch();
    fetch.ok('GET', DASHBOARD, buildView());
    fetch.ok('GET', '/hubspot/v1/dashboard?months=6&ownerId=o-2', buildView({ candidates: [buildView().candidates[1]], candidateTotal: 1 }));
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(Table, 'candidates')).toBeTruthy());
    expect(r.findByTestId(Link, 'candidate-link-a-1').props.href).toBe('https://app.hubspot.com/contacts/4242/record/0-2/a-1');
    expect(r.findByTestId(Link, 'candidate-link-a-1').text).toBe('Acme');
    expect(r.findByTestId(Tag, 'candidate-stage-a-2').text).toBe('Handed off');
    expect(r.findByTestId(Tag, 'candidate-stage-a-3').text).toBe('Waiting for an answer');
    const table = textOf(r.findByTestId(Table, 'candidates'));
    expect(table).toContain('the account is flagged strategic');
    expect(table).toContain('Review (CSM)');
    expect(r.findByTestId(Select, 'candidates-owner').props.options.map((o) => o.label)).toEqual(['All CSMs', 'Jack O\'Neill', 'Sam Carter']);
    fire(r.findByTestId(Select, 'candidates-owner'), 'onChange', 'o-2');
    await eventually(() => expect(r.findByTestId(Link, 'candidate-link-a-2')).toBeTruthy());
    expect(r.maybeFindByTestId(Link, 'candidate-link-a-1')).toBeNull();
    expect(fetch.callsTo('GET', 'ownerId=o-2')).toHaveLength(1);
  });

  it('when more candidates match than are shown, then the page says how many and how to narrow them', async () => {
    const fetch = installFetch();
    fetch.ok('GET', DASHBOARD, buildView({ candidateTotal: 140 }));
    const r = renderPage();
    await eventually(() => expect(r.findByTestId(Text, 'candidates-more')).toBeTruthy());
    expect(r.findByTestId(Text, 'candidates-more').text).toBe('First 3 of 140: pick a CSM to narrow the list.');
  });
});
