import {
  BarChart,
  EmptyState,
  Flex,
  Heading,
  LineChart,
  Link,
  Select,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { backendConfigFrom, type BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, day } from '../lib/format';
import type { AskType, CandidateStage, CandidateView, ProgramDashboardView, ProgramReport } from '../lib/types';
import { ConfigProblem, Loading, LoadError, Section } from '../components/states';
import { useProgramDashboard } from './useProgramDashboard';

// The program owner's page: the advocacy pipeline month over month (the program's primary
// KPI), activation and acceptance by ask type, what references do for deals, the reference
// service levels, and the candidates a CSM works through (proposed, handed off, waiting for
// an answer), filterable by CSM, each linking to its company record.

export interface DashboardContext {
  variables?: Record<string, unknown>;
  portal?: { id?: number | string };
}

const STAGE_LABELS: Record<CandidateStage, string> = { proposed: 'Proposed', handed_off: 'Handed off', waiting: 'Waiting for an answer' };
const pct = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);
const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const askLabel = (t: string | null) => (t && t in ASK_TYPE_LABELS ? ASK_TYPE_LABELS[t as AskType] : '–');

export function ProgramDashboardPage({ context }: { context: DashboardContext }) {
  const config = backendConfigFrom(context.variables);
  if (!config.ok) return <ConfigProblem problem={config.problem} />;
  return <ProgramDashboard config={config.config} portalId={context.portal?.id ?? null} />;
}

export function ProgramDashboard({ config, portalId }: { config: BackendConfig; portalId: number | string | null }) {
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const { state, reload } = useProgramDashboard(config, ownerId);
  if (state.status === 'loading') return <Loading label="Loading the advocacy program" />;
  if (state.status === 'error') return <LoadError message={state.message} onRetry={reload} />;
  const view = state.data;
  const nothingYet = view.report.months.every((m) => m.size === 0 && m.sent === 0) && view.candidateTotal === 0 && ownerId === null;
  if (nothingYet) {
    return (
      <EmptyState title="No advocacy activity yet" layout="vertical" testId="dashboard-empty">
        <Text>Once the daily scan has evaluated the portfolio, the pipeline and the candidates show here.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="lg">
      <Headline report={view.report} />
      <Pipeline report={view.report} />
      <Acceptance report={view.report} />
      <References report={view.report} />
      <Candidates view={view} ownerId={ownerId} onOwner={setOwnerId} portalId={portalId} />
    </Flex>
  );
}

function Headline({ report }: { report: ProgramReport }) {
  const last = report.months.at(-1);
  return (
    <Section>
      <Heading>Advocacy program, as of {report.asOf}</Heading>
      <Statistics>
        <StatisticsItem label="Advocates in the pipeline" number={last?.size ?? 0} testId="stat-pipeline" />
        <StatisticsItem label="Activation rate (accepted / sent)" number={pct(report.activationRate.rate)} testId="stat-activation" />
        <StatisticsItem label="Median days to first reference" number={report.timeToReference.medianDays ?? '–'} testId="stat-time-to-reference" />
      </Statistics>
    </Section>
  );
}

function Pipeline({ report }: { report: ProgramReport }) {
  const data = report.months.flatMap((m) => [
    { month: m.month, stage: 'Eligible', advocates: m.eligible },
    { month: m.month, stage: 'Asked', advocates: m.asked },
    { month: m.month, stage: 'Active', advocates: m.active },
  ]);
  return (
    <Section>
      <Heading>Pipeline by stage, month over month</Heading>
      <LineChart
        testId="pipeline-chart"
        data={data}
        axes={{ x: { field: 'month', fieldType: 'category', label: 'Month' }, y: { field: 'advocates', fieldType: 'linear', label: 'Advocates' }, options: { groupFieldByColor: 'stage' } }}
        options={{ title: 'Advocates by stage', showLegend: true }}
      />
    </Section>
  );
}

function Acceptance({ report }: { report: ProgramReport }) {
  const activation = report.months.map((m) => ({ month: m.month, rate: m.activationRate === null ? 0 : Math.round(m.activationRate * 1000) / 10 }));
  const byType = report.acceptanceByAskType.filter((t) => t.sent > 0).map((t) => ({ askType: ASK_TYPE_LABELS[t.askType], rate: t.rate === null ? 0 : Math.round(t.rate * 1000) / 10 }));
  return (
    <Section>
      <Heading>Activation and acceptance</Heading>
      <BarChart
        testId="activation-chart"
        data={activation}
        axes={{ x: { field: 'month', fieldType: 'category', label: 'Month' }, y: { field: 'rate', fieldType: 'linear', label: 'Accepted / sent (%)' } }}
        options={{ title: 'Activation rate by month' }}
      />
      {byType.length > 0 ? (
        <BarChart
          testId="acceptance-chart"
          data={byType}
          axes={{ x: { field: 'askType', fieldType: 'category', label: 'Ask type' }, y: { field: 'rate', fieldType: 'linear', label: 'Accepted (%)' } }}
          options={{ title: 'Acceptance by ask type' }}
        />
      ) : (
        <Text testId="acceptance-none">No ask has been sent in these months yet.</Text>
      )}
    </Section>
  );
}

function References({ report }: { report: ProgramReport }) {
  const refs = report.references;
  if (!refs) return <Text testId="references-unavailable">This CRM does not list closed deals, so reference influence cannot be shown.</Text>;
  const s = refs.serviceLevels;
  return (
    <Section>
      <Heading>References and deals</Heading>
      <Statistics>
        <StatisticsItem label="Influenced revenue" number={money(refs.influencedRevenue)} testId="stat-influenced-revenue" />
        <StatisticsItem label="Win rate with a reference" number={pct(refs.winRate.withReference)} testId="stat-win-with" />
        <StatisticsItem label="Win rate without" number={pct(refs.winRate.withoutReference)} testId="stat-win-without" />
      </Statistics>
      <Text testId="service-levels">
        {`Service levels: ${s.decidedInTime} of ${s.decided} requests decided within ${s.csmDecisionBusinessDays} business days, ${s.fulfilledInTime} of ${s.fulfilled} fulfilled within ${s.fulfilmentBusinessDays}; ${s.overdueNow} overdue now (${s.requests} requests in all).`}
      </Text>
    </Section>
  );
}

function Candidates({ view, ownerId, onOwner, portalId }: { view: ProgramDashboardView; ownerId: string | null; onOwner: (id: string | null) => void; portalId: number | string | null }) {
  const rows = view.candidates;
  return (
    <Section>
      <Heading>Candidates</Heading>
      <Select
        label="CSM"
        name="csm"
        testId="candidates-owner"
        value={ownerId ?? ''}
        onChange={(v) => onOwner(v ? String(v) : null)}
        options={[{ value: '', label: 'All CSMs' }, ...view.owners.map((o) => ({ value: o.ownerId, label: o.name }))]}
      />
      {rows.length === 0 ? (
        <Text testId="candidates-none">No candidates for this CSM right now.</Text>
      ) : (
        <Table testId="candidates">
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Stage</TableHeader>
              <TableHeader>Ask</TableHeader>
              <TableHeader>Contact</TableHeader>
              <TableHeader>CSM</TableHeader>
              <TableHeader>Since</TableHeader>
              <TableHeader>Why</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((c) => (
              <CandidateRow key={`${c.accountId}-${c.askId ?? 'handoff'}`} candidate={c} portalId={portalId} />
            ))}
          </TableBody>
        </Table>
      )}
      {view.candidateTotal > rows.length ? <Text variant="microcopy" testId="candidates-more">{`First ${rows.length} of ${view.candidateTotal}: pick a CSM to narrow the list.`}</Text> : null}
    </Section>
  );
}

function CandidateRow({ candidate: c, portalId }: { candidate: CandidateView; portalId: number | string | null }) {
  const name = c.accountName ?? c.accountId;
  // The company record in HubSpot (object type 0-2 is the company).
  const href = portalId !== null ? `https://app.hubspot.com/contacts/${portalId}/record/0-2/${encodeURIComponent(c.accountId)}` : null;
  return (
    <TableRow>
      <TableCell>{href ? <Link href={href} testId={`candidate-link-${c.accountId}`}>{name}</Link> : name}</TableCell>
      <TableCell>
        <Tag variant={c.stage === 'handed_off' ? 'warning' : c.stage === 'waiting' ? 'info' : 'success'} testId={`candidate-stage-${c.accountId}`}>
          {STAGE_LABELS[c.stage]}
        </Tag>
      </TableCell>
      <TableCell>{`${askLabel(c.askType)}${c.csmOwned ? ' (CSM)' : ''}`}</TableCell>
      <TableCell>{c.contactName ?? c.contactId ?? '–'}</TableCell>
      <TableCell>{c.ownerName ?? '–'}</TableCell>
      <TableCell>{day(c.since)}</TableCell>
      <TableCell>{c.reasons.map((r) => r.detail).join('; ') || '–'}</TableCell>
    </TableRow>
  );
}
