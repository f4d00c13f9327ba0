import { Button, Checkbox, Flex, Heading, Input, Select, TextArea, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, day, humanize } from '../lib/format';
import { useAction } from '../lib/remote';
import { ASK_STATUSES, ASK_TYPES, type AskStatus, type AskType, type AskView, type OutcomeBody } from '../lib/types';
import { recordOutcome } from '../hooks/useAccountAdvocacy';
import { ActionResult, Section } from './states';

// Record what came of an ask (and the customer's consent, when they gave it) from the card.

const CLOSED: AskStatus[] = ['completed', 'cancelled', 'declined', 'no_response'];

export function OutcomeForm({ config, asks, onRecorded }: { config: BackendConfig; asks: AskView[]; onRecorded: () => void }) {
  const firstOpen = asks.find((a) => !CLOSED.includes(a.status)) ?? asks[0];
  const [askId, setAskId] = useState<string>(firstOpen?.askId ?? '');
  const [status, setStatus] = useState<AskStatus>('completed');
  const [note, setNote] = useState('');
  const [withConsent, setWithConsent] = useState(false);
  const chosen = asks.find((a) => a.askId === askId);
  const [scope, setScope] = useState<AskType | ''>('');
  const [evidence, setEvidence] = useState('');
  const save = useAction((id: string, body: OutcomeBody) => recordOutcome(config, id, body), onRecorded);

  if (asks.length === 0) return null;
  const consentScope = scope || chosen?.askType || 'reference_call';
  const consentIncomplete = withConsent && evidence.trim() === '';

  const submit = () => {
    if (!chosen || consentIncomplete) return;
    const body: OutcomeBody = {
      status,
      note: note.trim() ? note.trim() : null,
      consent: withConsent ? { scope: consentScope, evidence: evidence.trim() } : null,
    };
    void save.start(chosen.askId, body);
  };

  return (
    <Section>
      <Heading>Record an outcome</Heading>
      <Flex direction="column" gap="sm">
        <Select
          label="Ask"
          name="askId"
          testId="outcome-ask"
          value={askId}
          onChange={(v) => setAskId(String(v))}
          options={asks.map((a) => ({ value: a.askId, label: `${ASK_TYPE_LABELS[a.askType]} — ${a.contactName ?? 'account'} (${humanize(a.status)}, ${day(a.proposedAt)})` }))}
        />
        <Select
          label="Outcome"
          name="status"
          testId="outcome-status"
          value={status}
          onChange={(v) => setStatus(v as AskStatus)}
          options={ASK_STATUSES.filter((s) => s !== 'proposed').map((s) => ({ value: s, label: humanize(s) }))}
        />
        <TextArea label="Note" name="note" testId="outcome-note" value={note} onChange={setNote} />
        <Checkbox name="withConsent" testId="outcome-with-consent" checked={withConsent} onChange={(checked) => setWithConsent(checked)}>
          The customer gave consent
        </Checkbox>
        {withConsent ? (
          <>
            <Select
              label="Consent for"
              name="consentScope"
              testId="consent-scope"
              value={consentScope}
              onChange={(v) => setScope(v as AskType)}
              options={ASK_TYPES.map((t) => ({ value: t, label: ASK_TYPE_LABELS[t] }))}
            />
            <Input
              label="How they agreed"
              name="evidence"
              testId="consent-evidence"
              placeholder="e.g. email of 12 March, signed release form"
              value={evidence}
              onChange={setEvidence}
              error={consentIncomplete}
              validationMessage={consentIncomplete ? 'Say how the customer agreed (email, signed form…)' : undefined}
            />
          </>
        ) : null}
        <Button variant="primary" testId="outcome-submit" disabled={save.state.status === 'running' || consentIncomplete} onClick={submit}>
          {save.state.status === 'running' ? 'Saving…' : 'Save outcome'}
        </Button>
        <ActionResult state={save.state} testId="outcome" success={(r) => `Saved: the ${ASK_TYPE_LABELS[r.ask.askType].toLowerCase()} ask is now ${humanize(r.ask.status).toLowerCase()}.`} />
        {chosen ? null : <Text variant="microcopy">Pick an ask first.</Text>}
      </Flex>
    </Section>
  );
}
