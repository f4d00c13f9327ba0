import { Alert, Button, DescriptionList, DescriptionListItem, Flex, Heading, Input, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, day, humanize } from '../lib/format';
import { useAction } from '../lib/remote';
import type { OpenAskView } from '../lib/types';
import { editAskNote, recordOutcome } from '../hooks/useAccountAdvocacy';
import { ActionResult, Section } from './states';

// The account's ask in progress. Proposed: nobody has asked the customer yet; the CSM sends
// the outreach (copy-ready), then marks it sent, or edits the note, or cancels with a reason.
// Sent: waiting for an answer, with its age and the outcomes allowed next. Accepted: waiting
// for it to happen (publishing asks need consent before they complete).

const days = (n: number) => (n === 0 ? 'today' : n === 1 ? '1 day ago' : `${n} days ago`);
const outcomes = (next: readonly string[]) => next.map((s) => humanize(s).toLowerCase()).join(', ');

export function AskInProgress({ ask, config, onChanged, copy }: { ask: OpenAskView; config: BackendConfig; onChanged: () => void; copy?: (text: string) => Promise<void> | void }) {
  const label = ASK_TYPE_LABELS[ask.askType];
  const who = ask.contactName ?? 'the contact';
  return (
    <Section>
      <Heading>Ask in progress</Heading>
      <Alert title={`${label} ask is ${humanize(ask.status)}`} variant="info" testId="open-ask">
        {ask.status === 'proposed'
          ? `Proposed for ${who} on ${day(ask.proposedAt)}; nobody has asked them yet. Send the outreach below, then mark it sent.`
          : ask.status === 'sent'
            ? `Waiting for an answer from ${who}: asked on ${day(ask.sentAt ?? ask.statusAt)}, ${days(ask.ageDays)}.`
            : `${who} accepted on ${day(ask.statusAt)} (${days(ask.ageDays)}). Record it completed once it has happened.`}
      </Alert>
      {ask.csmOwned ? <Tag variant="default" testId="open-ask-csm-owned">Asked by the CSM directly</Tag> : null}
      {ask.rule ? <Text testId="open-ask-rule">Why this ask: {ask.rule.detail}</Text> : null}
      {ask.status === 'proposed' ? <Proposed ask={ask} config={config} onChanged={onChanged} copy={copy} /> : null}
      {ask.status !== 'proposed' ? (
        <Text testId="open-ask-next">{`Next: ${outcomes(ask.next)}. Record it under “Record an outcome”.`}</Text>
      ) : null}
      {ask.outcomeNote ? <Text variant="microcopy" testId="open-ask-note">Note: {ask.outcomeNote}</Text> : null}
    </Section>
  );
}

function Proposed({ ask, config, onChanged, copy }: { ask: OpenAskView; config: BackendConfig; onChanged: () => void; copy?: (text: string) => Promise<void> | void }) {
  const [note, setNote] = useState(ask.outcomeNote ?? '');
  const [reason, setReason] = useState('');
  const [copied, setCopied] = useState(false);
  const send = useAction(() => recordOutcome(config, ask.askId, { status: 'sent' }), onChanged);
  const saveNote = useAction(() => editAskNote(config, ask.askId, note.trim() ? note.trim() : null), onChanged);
  const cancel = useAction(() => recordOutcome(config, ask.askId, { status: 'cancelled', note: reason.trim() }), onChanged);
  const busy = send.state.status === 'running' || cancel.state.status === 'running';
  const outreach = ask.outreach;
  return (
    <Flex direction="column" gap="sm">
      {outreach ? (
        <DescriptionList direction="column">
          <DescriptionListItem label="Subject">
            <Text testId="open-ask-subject">{outreach.subject}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Outreach (copy and send it yourself)">
            <Text testId="open-ask-body">{outreach.body}</Text>
          </DescriptionListItem>
        </DescriptionList>
      ) : null}
      {outreach && copy ? (
        <Button
          size="sm"
          variant="secondary"
          testId="copy-outreach"
          onClick={() => {
            void Promise.resolve(copy(`${outreach.subject}\n\n${outreach.body}`)).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy outreach'}
        </Button>
      ) : null}
      <Button variant="primary" testId="mark-sent" disabled={busy} onClick={() => void send.start()}>
        {send.state.status === 'running' ? 'Saving…' : `Mark sent: I asked ${ask.contactName ?? 'them'}`}
      </Button>
      <ActionResult state={send.state} testId="mark-sent" success={() => 'Marked sent: now waiting for their answer.'} />
      <TextArea label="Note on this ask" name="askNote" testId="ask-note" value={note} onChange={setNote} />
      <Button size="sm" variant="secondary" testId="save-note" disabled={saveNote.state.status === 'running' || note.trim() === (ask.outcomeNote ?? '')} onClick={() => void saveNote.start()}>
        Save note
      </Button>
      <ActionResult state={saveNote.state} testId="save-note" success={() => 'Note saved.'} />
      <Input label="Reason to cancel" name="cancelReason" testId="cancel-reason" placeholder="e.g. renewal talks started" value={reason} onChange={setReason} />
      <Button size="sm" variant="destructive" testId="cancel-ask" disabled={busy || reason.trim() === ''} onClick={() => void cancel.start()}>
        Cancel this ask
      </Button>
      <ActionResult state={cancel.state} testId="cancel-ask" success={() => 'Ask cancelled.'} />
    </Flex>
  );
}
