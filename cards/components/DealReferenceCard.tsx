import {
  Alert,
  Button,
  DateInput,
  EmptyState,
  Flex,
  Heading,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { backendConfigFrom, type BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, STAGE_VARIANT, day, fromDateInput, humanize, toDateInput } from '../lib/format';
import { useAction } from '../lib/remote';
import { ASK_TYPES, type AdvocateMatch, type AskType, type MatchAttribute, type ReferenceNeed, type ReferenceRequestView } from '../lib/types';
import { completeReference, findAdvocates, requestReference, useDealReferences } from '../hooks/useDealReferences';
import type { CardContext } from './card-context';
import { ActionResult, ConfigProblem, Loading, LoadError, Section } from './states';

// Deal record: "Request a reference". The rep describes the prospect (prefilled from the deal),
// gets ranked advocates with why each fits, requests one (the advocate's CSM approves), and
// follows the deal's requests.

export function DealReferenceCard({ context }: { context: CardContext }) {
  const config = backendConfigFrom(context.variables);
  if (!config.ok) return <ConfigProblem problem={config.problem} />;
  return <DealReferences config={config.config} dealId={String(context.crm.objectId)} />;
}

const TEXT_FIELDS: { name: MatchAttribute; label: string }[] = [
  { name: 'industry', label: 'Industry' },
  { name: 'sizeBand', label: 'Company size band' },
  { name: 'region', label: 'Region' },
  { name: 'product', label: 'Product' },
  { name: 'useCase', label: 'Use case' },
  { name: 'competitor', label: 'Competitor being replaced' },
  { name: 'language', label: 'Language' },
];

const ATTRIBUTE_LABELS = Object.fromEntries(TEXT_FIELDS.map((f) => [f.name, f.label.toLowerCase()])) as Record<MatchAttribute, string>;

/** Empty inputs are "no preference" (null), as the backend expects. */
const cleaned = (need: ReferenceNeed): ReferenceNeed => {
  const out = { ...need };
  for (const { name } of TEXT_FIELDS) out[name] = need[name]?.trim() ? need[name]!.trim() : null;
  return out;
};

export function DealReferences({ config, dealId }: { config: BackendConfig; dealId: string }) {
  const { state, reload } = useDealReferences(config, dealId);
  if (state.status === 'loading') return <Loading label="Loading reference requests" />;
  if (state.status === 'error') return <LoadError message={state.message} onRetry={reload} />;
  return (
    <Flex direction="column" gap="md">
      <ReferenceFinder config={config} dealId={dealId} prefill={state.data.prefill} onRequested={reload} />
      <Requests requests={state.data.requests} />
      <RecordReference config={config} requests={state.data.requests} onRecorded={reload} />
    </Flex>
  );
}

function ReferenceFinder({ config, dealId, prefill, onRequested }: { config: BackendConfig; dealId: string; prefill: ReferenceNeed; onRequested: () => void }) {
  const [need, setNeed] = useState<ReferenceNeed>(prefill);
  const [searched, setSearched] = useState<ReferenceNeed | null>(null);
  const search = useAction((n: ReferenceNeed) => findAdvocates(config, dealId, n));
  const request = useAction((n: ReferenceNeed, contactId: string) => requestReference(config, dealId, n, contactId), onRequested);
  const set = (name: keyof ReferenceNeed) => (value: string) => setNeed((n) => ({ ...n, [name]: value }));

  const find = () => {
    const n = cleaned(need);
    setSearched(n);
    request.reset();
    void search.start(n);
  };

  return (
    <Section>
      <Heading>Request a reference</Heading>
      <Select
        label="Ask type"
        name="askType"
        testId="need-askType"
        value={need.askType}
        onChange={(v) => setNeed((n) => ({ ...n, askType: v as AskType }))}
        options={ASK_TYPES.map((t) => ({ value: t, label: ASK_TYPE_LABELS[t] }))}
      />
      {TEXT_FIELDS.map((f) => (
        <Input key={f.name} label={f.label} name={f.name} testId={`need-${f.name}`} value={need[f.name] ?? ''} onChange={set(f.name)} />
      ))}
      <DateInput
        label="Needed by"
        name="dueOn"
        testId="need-dueOn"
        format="YYYY-MM-DD"
        value={toDateInput(need.dueOn)}
        onChange={(v) => setNeed((n) => ({ ...n, dueOn: fromDateInput(v) }))}
      />
      <Button variant="primary" testId="find-advocates" disabled={search.state.status === 'running'} onClick={find}>
        {search.state.status === 'running' ? 'Finding advocates…' : 'Find advocates'}
      </Button>
      {search.state.status === 'failed' ? (
        <Flex direction="column" gap="xs">
          <Alert title="Could not find advocates" variant="error" testId="match-failed">
            {search.state.message}
          </Alert>
          <Button
            size="sm"
            testId="match-retry"
            onClick={() => {
              if (searched) void search.start(searched);
            }}
          >
            Retry
          </Button>
        </Flex>
      ) : null}
      {search.state.status === 'done' && searched ? (
        <Matches
          matches={search.state.data.matches}
          explanation={search.state.data.explanation}
          requesting={request.state.status === 'running'}
          requested={request.state.status === 'done' ? request.state.data.request.contactId : null}
          onRequest={(contactId) => void request.start(searched, contactId)}
        />
      ) : null}
      <ActionResult
        state={request.state}
        testId="request"
        success={(r) => `Requested ${r.request.contactName ?? 'the advocate'}${r.request.accountName ? ` (${r.request.accountName})` : ''}: their CSM will approve or decline.`}
      />
    </Section>
  );
}

function whyText(m: AdvocateMatch): string {
  if (m.matched.length === 0) return 'no attribute in common; offered for readiness';
  return m.matched.map((a) => `${ATTRIBUTE_LABELS[a.attribute]} ${a.value} (+${a.weight})`).join(', ');
}

function Matches({ matches, explanation, requesting, requested, onRequest }: { matches: AdvocateMatch[]; explanation: string | null; requesting: boolean; requested: string | null; onRequest: (contactId: string) => void }) {
  if (matches.length === 0) {
    return (
      <EmptyState title="No advocate fits" layout="vertical" imageWidth={80} testId="no-match">
        <Text testId="no-match-explanation">{explanation ?? 'No advocate matches this request.'}</Text>
      </EmptyState>
    );
  }
  return (
    <Table testId="matches">
      <TableHead>
        <TableRow>
          <TableHeader>#</TableHeader>
          <TableHeader>Advocate</TableHeader>
          <TableHeader>Why</TableHeader>
          <TableHeader>Readiness</TableHeader>
          <TableHeader>Availability</TableHeader>
          <TableHeader> </TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {matches.map((m, i) => (
          <TableRow key={m.contactId}>
            <TableCell>{i + 1}</TableCell>
            <TableCell>
              <Text testId={`match-${m.contactId}`}>
                {m.contactName} ({m.accountName}) · fit {m.score}
              </Text>
            </TableCell>
            <TableCell>
              <Text testId={`why-${m.contactId}`}>{whyText(m)}</Text>
            </TableCell>
            <TableCell>{m.readiness}</TableCell>
            <TableCell>
              <Text testId={`availability-${m.contactId}`}>{m.lastUsedOn ? `available; last used ${m.lastUsedOn}` : 'available; never used'}</Text>
            </TableCell>
            <TableCell>
              <Button size="sm" testId={`request-${m.contactId}`} disabled={requesting || requested === m.contactId} onClick={() => onRequest(m.contactId)}>
                {requested === m.contactId ? 'Requested' : 'Request'}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Requests({ requests }: { requests: ReferenceRequestView[] }) {
  if (requests.length === 0) {
    return (
      <Text variant="microcopy" testId="no-requests">
        No reference requested for this deal yet.
      </Text>
    );
  }
  return (
    <Section>
      <Heading>This deal’s requests</Heading>
      <Table testId="requests">
        <TableHead>
          <TableRow>
            <TableHeader>Advocate</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Requested</TableHeader>
            <TableHeader>Service level</TableHeader>
            <TableHeader>Feedback</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {requests.map((r) => (
            <TableRow key={r.askId}>
              <TableCell>
                {r.contactName ?? r.contactId ?? 'unknown'}
                {r.accountName ? ` (${r.accountName})` : ''}
              </TableCell>
              <TableCell>
                <Tag variant={STAGE_VARIANT[r.status]} testId={`status-${r.askId}`}>
                  {humanize(r.status)}
                </Tag>
              </TableCell>
              <TableCell>{day(r.requestedAt)}</TableCell>
              <TableCell>
                {r.overdue ? (
                  <Tag variant="error" testId={`overdue-${r.askId}`}>
                    Overdue: {r.overdueReason ?? 'past its service level'}
                  </Tag>
                ) : (
                  <Text variant="microcopy">on time</Text>
                )}
              </TableCell>
              <TableCell>
                <Text testId={`feedback-${r.askId}`}>{feedbackText(r)}</Text>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}

function feedbackText(r: ReferenceRequestView): string {
  const parts = [r.feedback?.advocate && `Advocate: ${r.feedback.advocate}`, r.feedback?.prospect && `Prospect: ${r.feedback.prospect}`].filter(Boolean);
  return parts.length ? parts.join(' · ') : '-';
}

/** After the call: the rep (or CSM) marks a scheduled reference completed, with feedback. */
function RecordReference({ config, requests, onRecorded }: { config: BackendConfig; requests: ReferenceRequestView[]; onRecorded: () => void }) {
  const scheduled = requests.filter((r) => r.status === 'scheduled');
  const [picked, setPicked] = useState('');
  const askId = scheduled.some((r) => r.askId === picked) ? picked : (scheduled[0]?.askId ?? '');
  const [advocate, setAdvocate] = useState('');
  const [prospect, setProspect] = useState('');
  const [note, setNote] = useState('');
  const save = useAction(
    (id: string) => completeReference(config, id, note.trim() || null, { ...(advocate.trim() ? { advocate: advocate.trim() } : {}), ...(prospect.trim() ? { prospect: prospect.trim() } : {}) }),
    () => {
      setAdvocate('');
      setProspect('');
      setNote('');
      onRecorded();
    },
  );
  const result = <ActionResult state={save.state} testId="complete" success={() => 'Saved: the reference is completed.'} />;
  // The last one recorded leaves nothing to pick, but the confirmation stays.
  if (scheduled.length === 0) return save.state.status === 'done' ? result : null;
  return (
    <Section>
      <Heading>Record a reference that took place</Heading>
      <Select
        label="Reference"
        name="reference"
        testId="complete-request"
        value={askId}
        onChange={(v) => setPicked(String(v))}
        options={scheduled.map((r) => ({ value: r.askId, label: `${r.contactName ?? r.contactId ?? r.askId}${r.accountName ? ` (${r.accountName})` : ''}` }))}
      />
      <TextArea label="What the advocate said" name="advocateFeedback" testId="advocate-feedback" value={advocate} onChange={setAdvocate} />
      <TextArea label="What the prospect said" name="prospectFeedback" testId="prospect-feedback" value={prospect} onChange={setProspect} />
      <TextArea label="Note" name="note" testId="complete-note" value={note} onChange={setNote} />
      <Button variant="primary" testId="complete-reference" disabled={!askId || save.state.status === 'running'} onClick={() => void save.start(askId)}>
        Mark completed
      </Button>
      {result}
    </Section>
  );
}
