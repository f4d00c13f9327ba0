import { Alert, DescriptionList, DescriptionListItem, EmptyState, Flex, Heading, Link, List, Tag, Text } from '@hubspot/ui-extensions';
import { backendConfigFrom, type BackendConfig } from '../lib/config';
import { ASK_TYPE_LABELS, day, humanize } from '../lib/format';
import type { CapView } from '../lib/types';
import { useContactAdvocate } from '../hooks/useContactAdvocate';
import type { CardContext } from './card-context';
import { ConfigProblem, Loading, LoadError, Section } from './states';

// Contact sidebar: this contact as an advocate: profile, last ask, caps left, do-not-contact.

export function ContactAdvocateCard({ context }: { context: CardContext }) {
  const config = backendConfigFrom(context.variables);
  if (!config.ok) return <ConfigProblem problem={config.problem} />;
  return <ContactAdvocate config={config.config} contactId={String(context.crm.objectId)} portalId={context.portal?.id ?? null} />;
}

/** The company record (object type 0-2), where the company card shows and moves the ask. */
export const companyRecordUrl = (portalId: number | string, accountId: string) => `https://app.hubspot.com/contacts/${portalId}/record/0-2/${encodeURIComponent(accountId)}`;

function capText(cap: CapView): string {
  const left = Math.max(0, cap.max - cap.used);
  if (left > 0) return `${left} of ${cap.max} left`;
  return cap.availableOn ? `none left until ${cap.availableOn}` : `none left (${cap.used} of ${cap.max} used)`;
}

export function ContactAdvocate({ config, contactId, portalId = null }: { config: BackendConfig; contactId: string; portalId?: number | string | null }) {
  const { state, reload } = useContactAdvocate(config, contactId);
  if (state.status === 'loading') return <Loading label="Loading advocate profile" />;
  if (state.status === 'error') return <LoadError message={state.message} onRetry={reload} />;
  const { contact, latestNps, lastAsk, caps, consents, asks } = state.data;
  const activeConsents = consents.filter((c) => !c.revokedOn);
  return (
    <Flex direction="column" gap="sm">
      {contact.doNotContact ? (
        <Alert title="Do not contact" variant="error" testId="do-not-contact">
          {contact.name} is marked do-not-contact: the app never proposes or offers them for an ask.
        </Alert>
      ) : null}
      <Section>
        <Heading>{contact.name}</Heading>
        <DescriptionList direction="column">
          <DescriptionListItem label="Role">
            <Text>{[contact.title, contact.seniority ? humanize(contact.seniority) : null].filter(Boolean).join(' · ') || 'unknown'}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Latest NPS">
            <Text testId="latest-nps">{latestNps ? `${latestNps.score}/10 on ${latestNps.date}` : 'no NPS response'}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Asks of the account">
            <Text testId="cap-account">{capText(caps.accountAsks)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Reference calls">
            <Text testId="cap-reference">{capText(caps.referenceCalls)}</Text>
          </DescriptionListItem>
        </DescriptionList>
      </Section>
      <Section>
        <Heading>Last ask</Heading>
        {lastAsk ? (
          <Text testId="last-ask">
            {ASK_TYPE_LABELS[lastAsk.askType]}: {humanize(lastAsk.status).toLowerCase()} since {day(lastAsk.statusAt)}
            {lastAsk.outcomeNote ? ` — ${lastAsk.outcomeNote}` : ''} ({asks.length} in all)
          </Text>
        ) : (
          <EmptyState title="Never asked" layout="vertical" imageWidth={60} testId="no-asks">
            <Text>{contact.name} has not been asked to advocate yet.</Text>
          </EmptyState>
        )}
      </Section>
      {lastAsk && portalId !== null ? (
        <Link href={companyRecordUrl(portalId, lastAsk.accountId)} testId="company-ask-link">
          Open the ask on the company card
        </Link>
      ) : null}
      <Section>
        <Heading>Consents</Heading>
        {activeConsents.length > 0 ? (
          <List testId="consents">
            {activeConsents.map((c) => (
              <Tag key={c.consentId} variant="success">
                {ASK_TYPE_LABELS[c.scope]}
                {c.expiresOn ? ` until ${c.expiresOn}` : ''}
              </Tag>
            ))}
          </List>
        ) : (
          <Text variant="microcopy" testId="no-consents">
            No consent on record.
          </Text>
        )}
      </Section>
    </Flex>
  );
}
