import { Button, Checkbox, DateInput, Flex, Heading, Input, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, day, fromDateInput, humanize, toDateInput } from '../lib/format';
import { useAction } from '../lib/remote';
import { ASK_TRANSITIONS, ASK_TYPES, type AskStatus, type AskType, type AskView, type OutcomeBody } from '../lib/types';
import { recordOutcome } from '../hooks/useAccountAdvocacy';
import { ActionResult, Section } from './states';

const savedText = (r: { ask: AskView }) => `Saved: the ${ASK_TYPE_LABELS[r.ask.askType].toLowerCase()} ask is now ${humanize(r.ask.status).toLowerCase()}.`;

// Record what came of an ask (and the customer's consent, when they gave it) from the card.

export function OutcomeForm({ config, asks: allAsks, onRecorded }: { config: BackendConfig; asks: AskView[]; onRecorded: () => void }) {
  // Only asks that can still move; final ones (completed, declined, cancelled) are history.
  const asks = allAsks.filter((a) => ASK_TRANSITIONS[a.status].length > 0);
  const [picked, setPicked] = useState<string>('');
  // The list changes as asks are created and move on: a pick that is gone falls back to the newest.
  const askId = asks.some((a) => a.askId === picked) ? picked : (asks[0]?.askId ?? '');
  const [note, setNote] = useState('');
  const [withConsent, setWithConsent] = useState(false);
  const chosen = asks.find((a) => a.askId === askId);
  const nextStatuses = chosen ? ASK_TRANSITIONS[chosen.status] : [];
  const [pickedStatus, setStatus] = useState<AskStatus | ''>('');
  const status: AskStatus | undefined = pickedStatus && nextStatuses.includes(pickedStatus) ? pickedStatus : nextStatuses[0];
  const [scope, setScope] = useState<AskType | ''>('');
  const [evidence, setEvidence] = useState('');
  const [expiresOn, setExpiresOn] = useState<string | null>(null);
  const save = useAction(
    (id: string, body: OutcomeBody) => recordOutcome(config, id, body),
    () => {
      setNote('');
      setEvidence('');
      setWithConsent(false);
      setExpiresOn(null);
      setStatus('');
      onRecorded();
    },
  );

  if (asks.length === 0) {
    if (save.state.status === 'done') return <ActionResult state={save.state} testId="outcome" success={savedText} />;
    return null;
  }
  const consentScope = scope || chosen?.askType || 'reference_call';
  const consentIncomplete = withConsent && evidence.trim() === '';

  const submit = () => {
    if (!chosen || !status || consentIncomplete) return;
    const body: OutcomeBody = {
      status,
      note: note.trim() ? note.trim() : null,
      consent: withConsent ? { scope: consentScope, evidence: evidence.trim(), ...(expiresOn ? { expiresOn } : {}) } : null,
    };
    void save.start(chosen.askId, body);
  };

  return (
    <Section>
      <Heading>Record an outcome</Heading>
      <Text variant="microcopy">Asks move sent → accepted → completed (or declined, no response, cancelled); consent is needed before a public ask is completed.</Text>
      <Flex direction="column" gap="sm">
        <Select
          label="Ask"
          name="askId"
          testId="outcome-ask"
          value={askId}
          onChange={(v) => setPicked(String(v))}
          options={asks.map((a) => ({ value: a.askId, label: `${ASK_TYPE_LABELS[a.askType]} — ${a.contactName ?? 'account'} (${humanize(a.status)}, ${day(a.proposedAt)})` }))}
        />
        <Select
          label="Outcome"
          name="status"
          testId="outcome-status"
          value={status}
          onChange={(v) => setStatus(v as AskStatus)}
          options={nextStatuses.map((s) => ({ value: s, label: humanize(s) }))}
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
            <DateInput
              label="Consent expires (optional)"
              name="consentExpires"
              testId="consent-expires"
              format="YYYY-MM-DD"
              value={toDateInput(expiresOn)}
              onChange={(value) => setExpiresOn(fromDateInput(value))}
            />
          </>
        ) : null}
        <Button variant="primary" testId="outcome-submit" disabled={save.state.status === 'running' || consentIncomplete} onClick={submit}>
          {save.state.status === 'running' ? 'Saving…' : 'Save outcome'}
        </Button>
        <ActionResult state={save.state} testId="outcome" success={savedText} />
      </Flex>
    </Section>
  );
}
