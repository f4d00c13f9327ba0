import { doc, flowValue, type Node } from './salesforce-xml';

// What tells the backend that an Account changed, deployed rather than clicked:
// - Change Data Capture selected for Account (the adapter's no-Apex path subscribes to it) and
//   for Contact (a deleted contact is erased from the store as the DELETE event arrives).
// - A Named Credential + External Credential for the backend: the URL is a placeholder the
//   admin edits, the bearer token is an authentication parameter the admin adds to the
//   principal after deploying; no secret is in the package.
// - Record-triggered Flows (Account health changed; Contact NPS changed, since NPS lives on
//   Contact in the default field map) whose asynchronous path calls the Apex invocable:
//   callouts are not allowed inside the transaction that saved the record.

export const CREDENTIAL = 'Advocacy_Loop';
export const PRINCIPAL = 'Backend';
/** The authentication parameter on the principal that holds SALESFORCE_FLOW_SECRET. */
export const TOKEN_PARAMETER = 'Token';
/** The authentication parameter that holds the org key (`advocacy setup salesforce --issue-key`). */
export const ORG_KEY_PARAMETER = 'OrgKey';
/** The header the org key travels in (the backend's org-key guard reads it). */
export const ORG_KEY_HEADER_NAME = 'X-Advocacy-Org-Key';
export const INVOCABLE_CLASS = 'AdvocacyAccountChanged';
export const CDC_MEMBER = 'ChangeEvents_AccountChangeEvent';
/** Contact deletions reach the backend by CDC too (it erases the person). */
export const CONTACT_CDC_MEMBER = 'ChangeEvents_ContactChangeEvent';
export const PLACEHOLDER_BACKEND_URL = 'https://advocacy-loop.example.com';

export interface TriggerFields {
  /** Account field whose change calls for a re-evaluation (field map account.healthScore). */
  accountHealth: string | null;
  /** Contact field likewise (field map contact.npsScore). */
  contactNps: string | null;
}

export function changeDataCapture(entity: 'AccountChangeEvent' | 'ContactChangeEvent' = 'AccountChangeEvent'): string {
  return doc('PlatformEventChannelMember', [
    ['eventChannel', 'ChangeEvents'],
    ['selectedEntity', entity],
  ]);
}

export function externalCredential(): string {
  return doc('ExternalCredential', [
    ['authenticationProtocol', 'Custom'],
    ['description', `How Salesforce authenticates to the Advocacy Loop backend. After deploying, add to the ${PRINCIPAL} principal an authentication parameter ${TOKEN_PARAMETER} holding SALESFORCE_FLOW_SECRET (the Flows) and ${ORG_KEY_PARAMETER} holding the org key from advocacy setup salesforce --issue-key (the Lightning components).`],
    [
      'externalCredentialParameters',
      [
        ['parameterGroup', 'DefaultGroup'],
        ['parameterName', 'Authorization'],
        ['parameterType', 'AuthHeader'],
        ['parameterValue', `{!'Bearer ' & $Credential.${CREDENTIAL}.${TOKEN_PARAMETER}}`],
        ['sequenceNumber', '1'],
      ],
    ],
    [
      'externalCredentialParameters',
      [
        ['parameterGroup', 'DefaultGroup'],
        ['parameterName', ORG_KEY_HEADER_NAME],
        ['parameterType', 'AuthHeader'],
        ['parameterValue', `{!$Credential.${CREDENTIAL}.${ORG_KEY_PARAMETER}}`],
        ['sequenceNumber', '2'],
      ],
    ],
    [
      'externalCredentialParameters',
      [
        ['parameterGroup', PRINCIPAL],
        ['parameterName', PRINCIPAL],
        ['parameterType', 'NamedPrincipal'],
        ['sequenceNumber', '1'],
      ],
    ],
    ['label', 'Advocacy Loop'],
  ]);
}

export function namedCredential(backendUrl: string): string {
  const url = new URL(backendUrl);
  if (url.protocol !== 'https:') throw new Error(`the backend URL must be https (Salesforce callouts through a secured endpoint): ${backendUrl}`);
  return doc('NamedCredential', [
    ['allowMergeFieldsInBody', 'false'],
    ['allowMergeFieldsInHeader', 'false'],
    ['calloutStatus', 'Enabled'],
    ['description', 'The Advocacy Loop backend. Set the URL to where it is served; the External Credential adds the bearer token.'],
    ['generateAuthorizationHeader', 'true'],
    ['label', 'Advocacy Loop'],
    ['namedCredentialParameters', [['parameterName', 'Url'], ['parameterType', 'Url'], ['parameterValue', url.origin]]],
    ['namedCredentialParameters', [['externalCredential', CREDENTIAL], ['parameterName', 'ExternalCredential'], ['parameterType', 'Authentication']]],
    ['namedCredentialType', 'SecuredEndpoint'],
  ]);
}

const LOCAL_FIELD = /^[A-Za-z][A-Za-z0-9_]*$/;

function filter(field: string, operator: string, value: Node): Node {
  return ['filters', [['field', field], ['operator', operator], value]];
}

const metadataValue = (name: string, value: string): Node => ['processMetadataValues', [['name', name], flowValue('stringValue', value)]];

function recordTriggeredFlow(f: { apiVersion: string; label: string; description: string; object: string; filters: Node[]; accountId: string }): string {
  const action = 'Notify_Advocacy_Loop';
  return doc('Flow', [
    [
      'actionCalls',
      [
        ['name', action],
        ['label', 'Notify Advocacy Loop'],
        ['locationX', '308'],
        ['locationY', '276'],
        ['actionName', INVOCABLE_CLASS],
        ['actionType', 'apex'],
        ['flowTransactionModel', 'CurrentTransaction'],
        ['inputParameters', [['name', 'accountId'], flowValue('elementReference', f.accountId)]],
        ['inputParameters', [['name', 'eventId'], flowValue('elementReference', '$Flow.InterviewGuid')]],
      ],
    ],
    ['apiVersion', f.apiVersion],
    ['description', f.description],
    ['environments', 'Default'],
    ['interviewLabel', `${f.label} {!$Flow.CurrentDateTime}`],
    ['label', f.label],
    metadataValue('BuilderType', 'LightningFlowBuilder'),
    metadataValue('CanvasMode', 'AUTO_LAYOUT_CANVAS'),
    metadataValue('OriginBuilderType', 'LightningFlowBuilder'),
    ['processType', 'AutoLaunchedFlow'],
    [
      'start',
      [
        ['locationX', '50'],
        ['locationY', '0'],
        ['filterLogic', 'and'],
        ...f.filters,
        ['object', f.object],
        ['recordTriggerType', 'Update'],
        ['scheduledPaths', [['connector', [['targetReference', action]]], ['pathType', 'AsyncAfterCommit']]],
        ['triggerType', 'RecordAfterSave'],
      ],
    ],
    ['status', 'Active'],
  ]);
}

/** Flow API name -> flow XML; a flow only for each trigger field the org has. */
export function flows(fields: TriggerFields, apiVersion: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && !LOCAL_FIELD.test(value)) throw new Error(`a Flow can only watch a field on the record itself; ${key} is ${value}`);
  }
  if (fields.accountHealth) {
    out.set(
      'Advocacy_Account_Health_Changed',
      recordTriggeredFlow({
          apiVersion,
          label: 'Advocacy Loop: Account health changed',
          description: `When ${fields.accountHealth} changes on an Account, tells Advocacy Loop (POST /salesforce/v1/flow/account-changed through the ${CREDENTIAL} Named Credential) to re-evaluate it. Runs after commit, where callouts are allowed.`,
          object: 'Account',
          filters: [filter(fields.accountHealth, 'IsChanged', flowValue('booleanValue', 'true'))],
          accountId: '$Record.Id',
      }),
    );
  }
  if (fields.contactNps) {
    out.set(
      'Advocacy_Contact_NPS_Changed',
      recordTriggeredFlow({
          apiVersion,
          label: 'Advocacy Loop: Contact NPS changed',
          description: `When ${fields.contactNps} changes on a Contact with an Account, tells Advocacy Loop to re-evaluate that Account (the same callout as the Account flow).`,
          object: 'Contact',
          filters: [filter(fields.contactNps, 'IsChanged', flowValue('booleanValue', 'true')), filter('AccountId', 'IsNull', flowValue('booleanValue', 'false'))],
          accountId: '$Record.AccountId',
      }),
    );
  }
  return out;
}
