import { Button, DateInput, Flex, Heading, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, fromDateInput, toDateInput } from '../lib/format';
import { useAction } from '../lib/remote';
import { ASK_TYPES, type AccountAdvocacyView, type AskType } from '../lib/types';
import { recordCsmAsk } from '../hooks/useAccountAdvocacy';
import { ActionResult, Section } from './states';

// On a hand-off account the CSM owns the ask: when they have made it, they record it here
// (what, whom, when, a note), so caps, cooldowns and the program's KPIs count it.

export function CsmAskForm({ view, config, accountId, onRecorded }: { view: AccountAdvocacyView; config: BackendConfig; accountId: string; onRecorded: () => void }) {
  const contacts = view.contacts;
  const [askType, setAskType] = useState<AskType>(view.evaluation.proposal?.askType ?? 'reference_call');
  const [contactId, setContactId] = useState<string>(view.evaluation.contactId ?? contacts[0]?.contactId ?? '');
  const [askedOn, setAskedOn] = useState<string | null>(view.evaluation.asOf);
  const [note, setNote] = useState('');
  const save = useAction(
    () => recordCsmAsk(config, accountId, { askType, contactId, askedOn: askedOn!, note: note.trim() ? note.trim() : null }),
    () => {
      setNote('');
      onRecorded();
    },
  );
  if (contacts.length === 0) return null;
  const incomplete = !contactId || !askedOn;
  return (
    <Section>
      <Heading>Record the ask you made</Heading>
      <Text variant="microcopy">Asked them yourself? Record it so caps, cooldowns and the program KPIs count it.</Text>
      <Flex direction="column" gap="sm">
        <Select label="What you asked for" name="csmAskType" testId="csm-ask-type" value={askType} onChange={(v) => setAskType(v as AskType)} options={ASK_TYPES.map((t) => ({ value: t, label: ASK_TYPE_LABELS[t] }))} />
        <Select
          label="Whom you asked"
          name="csmAskContact"
          testId="csm-ask-contact"
          value={contactId}
          onChange={(v) => setContactId(String(v))}
          options={contacts.map((c) => ({ value: c.contactId, label: c.doNotContact ? `${c.name} (do not contact)` : c.name }))}
        />
        <DateInput label="When" name="csmAskDate" testId="csm-ask-date" format="YYYY-MM-DD" value={toDateInput(askedOn)} onChange={(v) => setAskedOn(fromDateInput(v))} />
        <TextArea label="Note" name="csmAskNote" testId="csm-ask-note" value={note} onChange={setNote} />
        <Button variant="primary" testId="csm-ask-submit" disabled={incomplete || save.state.status === 'running'} onClick={() => void save.start()}>
          {save.state.status === 'running' ? 'Saving…' : 'Record my ask'}
        </Button>
        <ActionResult state={save.state} testId="csm-ask" success={(r) => `Recorded: your ${ASK_TYPE_LABELS[r.ask.askType].toLowerCase()} ask to ${r.ask.contactName ?? 'the contact'} is waiting for an answer.`} />
      </Flex>
    </Section>
  );
}
