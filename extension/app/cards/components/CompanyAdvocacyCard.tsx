import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Heading,
  List,
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
import { backendConfigFrom, type BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, BAND_VARIANT, day, humanize, rawValue, signalLabel } from '../lib/format';
import { useAction } from '../lib/remote';
import type { AccountAdvocacyView, Consent, Evaluation } from '../lib/types';
import { createAskNow, revokeConsent, useAccountAdvocacy } from '../hooks/useAccountAdvocacy';
import { OutcomeForm } from './OutcomeForm';
import { AskInProgress } from './AskInProgress';
import { CsmAskForm } from './CsmAskForm';
import { ActionResult, ConfigProblem, Loading, LoadError, Section } from './states';
import type { CardContext } from './card-context';

// Company record tab: readiness and why, the decision (propose / hand off / not ready), the
// account's advocacy history, and recording an outcome.

/** Copies text for the user (HubSpot's actions.copyTextToClipboard), when the host offers it. */
export type CopyText = (text: string) => Promise<void> | void;

export function CompanyAdvocacyCard({ context, copy }: { context: CardContext; copy?: CopyText }) {
  const config = backendConfigFrom(context.variables);
  if (!config.ok) return <ConfigProblem problem={config.problem} />;
  return <CompanyAdvocacy config={config.config} accountId={String(context.crm.objectId)} copy={copy} />;
}

export function CompanyAdvocacy({ config, accountId, copy }: { config: BackendConfig; accountId: string; copy?: CopyText }) {
  const { state, reload } = useAccountAdvocacy(config, accountId);
  if (state.status === 'loading') return <Loading label="Loading advocacy readiness" />;
  if (state.status === 'error') return <LoadError message={state.message} onRetry={reload} />;
  const view = state.data;
  return (
    <Flex direction="column" gap="md">
      <ReadinessSummary view={view} />
      <Contributions view={view} />
      <Divider />
      <DecisionSection view={view} config={config} accountId={accountId} onChanged={reload} copy={copy} />
      <Divider />
      <History view={view} config={config} onChanged={reload} />
      <Divider />
      <OutcomeForm config={config} asks={view.asks} onRecorded={reload} />
    </Flex>
  );
}

function ReadinessSummary({ view }: { view: AccountAdvocacyView }) {
  const readiness = view.evaluation.readiness;
  return (
    <Section>
      <Heading>{view.account.name}</Heading>
      {readiness ? (
        <Flex direction="row" gap="md" align="center">
          <Statistics>
            <StatisticsItem label="Advocacy readiness" number={readiness.score} testId="readiness-score" />
          </Statistics>
          <Tag variant={BAND_VARIANT[readiness.band]} testId="readiness-band">
            {humanize(readiness.band)}
          </Tag>
        </Flex>
      ) : (
        <Text testId="readiness-score-missing">No readiness score: the account has no contact to score.</Text>
      )}
      <Text variant="microcopy">
        CSM: {view.account.ownerName ?? 'nobody owns this account'} · health {view.account.healthScore ?? 'missing'}
        {view.account.strategic ? ' · strategic account' : ''}
      </Text>
    </Section>
  );
}

function Contributions({ view }: { view: AccountAdvocacyView }) {
  const contributions = view.evaluation.readiness?.contributions ?? [];
  if (contributions.length === 0) return null;
  return (
    <Section>
      <Heading>Why this score</Heading>
      <Table testId="contributions">
        <TableHead>
          <TableRow>
            <TableHeader>Signal</TableHeader>
            <TableHeader>Value</TableHeader>
            <TableHeader>Points</TableHeader>
            <TableHeader>Note</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {contributions.map((c) => (
            <TableRow key={c.signal}>
              <TableCell>{signalLabel(c.signal)}</TableCell>
              <TableCell>{c.missing ? <Tag variant="warning" testId={`missing-${c.signal}`}>missing</Tag> : rawValue(c.raw)}</TableCell>
              <TableCell>{c.points}</TableCell>
              <TableCell>{c.note}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}

function ReasonList({ reasons, testId }: { reasons: Evaluation['reasons']; testId: string }) {
  return (
    <List testId={testId}>
      {reasons.map((r, i) => (
        <Text key={`${r.code}-${i}`}>{r.detail}</Text>
      ))}
    </List>
  );
}

function DecisionSection({ view, config, accountId, onChanged, copy }: { view: AccountAdvocacyView; config: BackendConfig; accountId: string; onChanged: () => void; copy?: CopyText }) {
  const create = useAction(() => createAskNow(config, accountId), onChanged);
  const { evaluation, openAsk } = view;

  if (openAsk) {
    return (
      <Flex direction="column" gap="sm">
        <AskInProgress ask={openAsk} config={config} onChanged={onChanged} copy={copy} />
        <ActionResult state={create.state} testId="create-task" success={(r) => (r.taskId ? `Task created for the CSM (task ${r.taskId}).` : 'Ask recorded; the task will be created shortly.')} />
      </Flex>
    );
  }

  if (evaluation.decision === 'propose' && evaluation.proposal) {
    const { proposal } = evaluation;
    return (
      <Section>
        <Heading>Proposed ask: {ASK_TYPE_LABELS[proposal.askType]}</Heading>
        <ReasonList reasons={evaluation.reasons} testId="propose-reasons" />
        <DescriptionList direction="column">
          <DescriptionListItem label="Subject">
            <Text testId="outreach-subject">{proposal.outreach.subject}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Outreach">
            <Text testId="outreach-body">{proposal.outreach.body}</Text>
          </DescriptionListItem>
        </DescriptionList>
        <Button variant="primary" testId="create-task" disabled={create.state.status === 'running'} onClick={() => void create.start()}>
          {create.state.status === 'running' ? 'Creating task…' : 'Create task now'}
        </Button>
        <ActionResult state={create.state} testId="create-task" success={(r) => (r.taskId ? `Task created for the CSM (task ${r.taskId}).` : 'Ask recorded; the task will be created shortly.')} />
      </Section>
    );
  }

  if (evaluation.decision === 'handoff') {
    return (
      <Section>
        <Heading>Hand to the CSM</Heading>
        <Alert title={evaluation.ownerMustAct ? 'The CSM needs to act before anyone asks' : 'Hold back for now'} variant="warning" testId="handoff">
          The engine does not propose an ask while these hold:
        </Alert>
        <ReasonList reasons={evaluation.reasons} testId="handoff-reasons" />
        {evaluation.proposal ? <Text variant="microcopy">Once clear, the next ask would be: {ASK_TYPE_LABELS[evaluation.proposal.askType]}.</Text> : null}
        <CsmAskForm view={view} config={config} accountId={accountId} onRecorded={onChanged} />
      </Section>
    );
  }

  return (
    <Section>
      <Heading>Not ready yet</Heading>
      <ReasonList reasons={evaluation.reasons} testId="not-ready-reasons" />
      {view.missingSignals.length > 0 ? (
        <Text testId="missing-signals">Missing in the CRM: {view.missingSignals.map(signalLabel).join(', ')}</Text>
      ) : null}
    </Section>
  );
}

function History({ view, config, onChanged }: { view: AccountAdvocacyView; config: BackendConfig; onChanged: () => void }) {
  if (view.asks.length === 0 && view.consents.length === 0) {
    return (
      <EmptyState title="No advocacy history yet" layout="vertical" imageWidth={80} testId="history-empty">
        <Text>Nobody at this account has been asked to advocate yet.</Text>
      </EmptyState>
    );
  }
  return (
    <Section>
      <Heading>Advocacy history</Heading>
      {view.asks.length > 0 ? (
        <Table testId="history-asks">
          <TableHead>
            <TableRow>
              <TableHeader>Ask</TableHeader>
              <TableHeader>Contact</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Since</TableHeader>
              <TableHeader>Outcome</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {view.asks.map((a) => (
              <TableRow key={a.askId}>
                <TableCell>{ASK_TYPE_LABELS[a.askType]}</TableCell>
                <TableCell>{a.contactName ?? '—'}</TableCell>
                <TableCell>{humanize(a.status)}</TableCell>
                <TableCell>{day(a.statusAt)}</TableCell>
                <TableCell>{a.outcomeNote ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {view.consents.length > 0 ? (
        <List testId="history-consents">
          {view.consents.map((c) => (
            <ConsentLine key={c.consentId} consent={c} config={config} onRevoked={onChanged} />
          ))}
        </List>
      ) : (
        <Text variant="microcopy">No consents on record.</Text>
      )}
    </Section>
  );
}

function ConsentLine({ consent: c, config, onRevoked }: { consent: Consent; config: BackendConfig; onRevoked: () => void }) {
  const revoke = useAction(() => revokeConsent(config, c.consentId), onRevoked);
  return (
    <Flex direction="row" gap="sm" align="center">
      <Text testId={`consent-${c.consentId}`}>
        Consent for {ASK_TYPE_LABELS[c.scope]} since {c.grantedOn}
        {c.revokedOn ? `, revoked ${c.revokedOn}` : c.expiresOn ? `, until ${c.expiresOn}` : ''} ({c.evidence})
      </Text>
      {c.revokedOn ? null : (
        <Button size="sm" variant="secondary" testId={`revoke-${c.consentId}`} disabled={revoke.state.status === 'running'} onClick={() => void revoke.start()}>
          Revoke
        </Button>
      )}
      {revoke.state.status === 'failed' ? <Text testId={`revoke-${c.consentId}-failed`}>{revoke.state.message}</Text> : null}
    </Flex>
  );
}
