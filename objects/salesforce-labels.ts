import { doc, type Node } from './salesforce-xml';

// Every string the Lightning components show, as Salesforce custom labels (Setup > Custom
// Labels), so an admin can translate them (Translation Workbench) without touching code.
// `{0}`, `{1}`... are filled in by the components (advocacyApi.format). The components read
// them through one module, lwc/advocacyLabels, generated from this list.

const ASK_TYPE: Record<string, string> = { quote: 'Quote', review: 'Review', reference_call: 'Reference call', logo: 'Logo', case_study: 'Case study', speaking: 'Speaking', advisory_board: 'Advisory board' };
const STATUS: Record<string, string> = { proposed: 'Proposed', sent: 'Sent', accepted: 'Accepted', declined: 'Declined', no_response: 'No response', completed: 'Completed', cancelled: 'Cancelled' };
const BAND: Record<string, string> = { green: 'Green', amber: 'Amber', red: 'Red' };
const SIGNAL: Record<string, string> = { health: 'Health score', nps: 'NPS', usage: 'Usage depth', tenure: 'Tenure', csat: 'CSAT', seniority: 'Champion seniority', engagement: 'Engagement', priorAdvocacy: 'Prior advocacy' };
const STAGE: Record<string, string> = { requested: 'Requested', approved: 'Approved', scheduled: 'Scheduled', completed: 'Completed', declined: 'Declined' };
const NEED: Record<string, string> = { industry: 'Industry', sizeBand: 'Size band', region: 'Region', product: 'Product', useCase: 'Use case', competitor: 'Competitor replaced', language: 'Language', dueOn: 'Needed by' };

const prefixed = (prefix: string, values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`Advocacy_${prefix}_${k}`, v]));

export const SALESFORCE_LABELS: Record<string, string> = {
  ...prefixed('Ask', ASK_TYPE),
  ...prefixed('Status', STATUS),
  ...prefixed('Band', BAND),
  ...prefixed('Signal', SIGNAL),
  ...prefixed('Stage', STAGE),
  ...prefixed('Need', NEED),
  // Shared
  Advocacy_Retry: 'Retry',
  Advocacy_Cancel: 'Cancel',
  Advocacy_Missing: 'missing',
  Advocacy_Note: 'Note',
  Advocacy_Ask: 'Ask',
  Advocacy_Ask_Type: 'Ask type',
  Advocacy_Contact: 'Contact',
  Advocacy_Status: 'Status',
  Advocacy_Since: 'Since',
  Advocacy_Company: 'Company',
  Advocacy_Advocate: 'Advocate',
  Advocacy_Consents: 'Consents',
  Advocacy_No_Consents: 'No consents on record.',
  Advocacy_Consent_Line: 'Consent for {0} since {1} ({2})',
  Advocacy_Consent_Until: 'until {0}',
  Advocacy_Consent_Revoked_On: 'revoked {0}',
  Advocacy_Do_Not_Contact: 'do not contact',
  Advocacy_Error_Generic: 'Something went wrong. Try again.',
  Advocacy_Error_Unauthorized: 'Salesforce could not prove this org to Advocacy Loop. Ask your admin to check the OrgKey parameter on the Advocacy Loop External Credential.',
  Advocacy_Error_Unreachable: 'Could not reach Advocacy Loop. Try again in a minute; if it keeps failing, ask your admin to check the Advocacy Loop Named Credential.',
  Advocacy_Error_Not_Visible: 'You cannot see this record in Salesforce.',
  Advocacy_Error_Unreadable: 'Advocacy Loop sent an answer this component cannot read.',
  Advocacy_Today: 'today',
  Advocacy_One_Day_Ago: '1 day ago',
  Advocacy_Days_Ago: '{0} days ago',
  // Account
  Advocacy_Account_Card_Title: 'Advocacy readiness',
  Advocacy_Loading_Readiness: 'Loading advocacy readiness',
  Advocacy_No_Readiness: 'No readiness score: the account has no contact to score.',
  Advocacy_Csm_Line: 'CSM: {0} · health {1}',
  Advocacy_No_Owner: 'nobody owns this account',
  Advocacy_Strategic: 'strategic account',
  Advocacy_Why_This_Score: 'Why this score',
  Advocacy_Signal: 'Signal',
  Advocacy_Value: 'Value',
  Advocacy_Points: 'Points',
  Advocacy_Ask_In_Progress: 'Ask in progress',
  Advocacy_Open_Ask_Title: '{0} ask is {1}',
  Advocacy_Open_Ask_Proposed: 'Proposed for {0} on {1}; nobody has asked them yet. Send the outreach below, then mark it sent.',
  Advocacy_Open_Ask_Sent: 'Waiting for an answer from {0}: asked on {1}, {2}.',
  Advocacy_Open_Ask_Accepted: '{0} accepted on {1} ({2}). Record it completed once it has happened.',
  Advocacy_The_Contact: 'the contact',
  Advocacy_Them: 'them',
  Advocacy_Asked_By_Csm: 'Asked by the CSM directly',
  Advocacy_Why_This_Ask: 'Why this ask: {0}',
  Advocacy_Subject: 'Subject',
  Advocacy_Outreach: 'Outreach',
  Advocacy_Outreach_Copy: 'Outreach (copy and send it yourself)',
  Advocacy_Copy_Outreach: 'Copy outreach',
  Advocacy_Copied: 'Copied',
  Advocacy_Copy_Failed: 'Could not copy: select the outreach and copy it yourself.',
  Advocacy_Mark_Sent: 'Mark sent: I asked {0}',
  Advocacy_Marked_Sent: 'Marked sent: now waiting for their answer.',
  Advocacy_Note_On_Ask: 'Note on this ask',
  Advocacy_Save_Note: 'Save note',
  Advocacy_Note_Saved: 'Note saved.',
  Advocacy_Cancel_Reason: 'Reason to cancel',
  Advocacy_Cancel_Ask: 'Cancel this ask',
  Advocacy_Ask_Cancelled: 'Ask cancelled.',
  Advocacy_Next_Outcomes: 'Next: {0}. Record it under “Record an outcome”.',
  Advocacy_Proposed_Ask: 'Proposed ask: {0}',
  Advocacy_Create_Task: 'Create task now',
  Advocacy_Task_Created: 'Task created for the CSM (task {0}).',
  Advocacy_Ask_Recorded: 'Ask recorded; the task will be created shortly.',
  Advocacy_Handoff_Title: 'Hand to the CSM',
  Advocacy_Handoff_Must_Act: 'The CSM needs to act before anyone asks. The engine does not propose an ask while these hold:',
  Advocacy_Handoff_Hold_Back: 'Hold back for now. The engine does not propose an ask while these hold:',
  Advocacy_Next_Ask_Hint: 'Once clear, the next ask would be: {0}.',
  Advocacy_Record_Your_Ask: 'Record the ask you made',
  Advocacy_Asked_On: 'Asked on',
  Advocacy_Record_Ask: 'Record my ask',
  Advocacy_Csm_Ask_Recorded: 'Your ask is recorded: the caps, cooldowns and KPIs count it.',
  Advocacy_Not_Ready: 'Not ready yet',
  Advocacy_Missing_Signals: 'Missing in Salesforce: {0}',
  Advocacy_History: 'Advocacy history',
  Advocacy_Outcome: 'Outcome',
  Advocacy_Revoke: 'Revoke',
  Advocacy_Consent_Revoked: 'Consent revoked: no new ask of that kind will be proposed.',
  Advocacy_No_History_Title: 'No advocacy history yet',
  Advocacy_No_History: 'Nobody at this account has been asked to advocate yet.',
  Advocacy_Record_Outcome: 'Record an outcome',
  Advocacy_New_Status: 'New status',
  Advocacy_Consent_Evidence: 'Consent evidence (how the customer agreed)',
  Advocacy_Consent_Expires: 'Consent expires on',
  Advocacy_Outcome_Recorded: 'Recorded: the ask is now {0}.',
  // Contact
  Advocacy_Contact_Card_Title: 'Advocate profile',
  Advocacy_Loading_Profile: 'Loading the advocate profile',
  Advocacy_Do_Not_Contact_Warning: 'Do not contact: this person is never asked to advocate.',
  Advocacy_Paused_Until: 'Paused until {0}: {1}',
  Advocacy_Nps: 'Latest NPS',
  Advocacy_Latest_Nps: '{0} on {1}',
  Advocacy_No_Nps: 'No NPS answer yet',
  Advocacy_Last_Ask_Label: 'Last ask',
  Advocacy_Last_Ask: '{0}, {1} on {2}',
  Advocacy_Never_Asked: 'Never asked',
  Advocacy_Cap_Account_Asks: 'Asks at this account (12 months)',
  Advocacy_Cap_Reference_Calls: 'Reference calls (this quarter)',
  Advocacy_Cap_Used: '{0} of {1} used',
  Advocacy_Cap_Frees_On: 'the next frees up on {0}',
  Advocacy_Open_Account: 'Open the account to see and move the ask',
  // Opportunity
  Advocacy_Opportunity_Card_Title: 'Request a reference',
  Advocacy_Loading_References: 'Loading reference requests',
  Advocacy_Need_Title: 'What the prospect needs to hear',
  Advocacy_Find_Advocates: 'Find advocates',
  Advocacy_Finding_Advocates: 'Finding advocates',
  Advocacy_Fit: 'Fit',
  Advocacy_Why: 'Why',
  Advocacy_Last_Used: 'last a reference on {0}',
  Advocacy_Not_Used_Yet: 'not a reference yet',
  Advocacy_No_Match: 'No advocate fits this need.',
  Advocacy_Request: 'Request',
  Advocacy_Requested: 'Requested {0}: their CSM has a task to approve or decline.',
  Advocacy_Requests_Title: 'Reference requests on this opportunity',
  Advocacy_No_Requests: 'No reference requested yet.',
  Advocacy_Requested_On: 'Requested',
  Advocacy_Service_Level: 'Service level',
  Advocacy_On_Time: 'on time',
  Advocacy_Overdue: 'overdue: {0}',
  Advocacy_Record_Reference: 'Record the reference',
  Advocacy_Record_Reference_With: 'The reference call with {0} took place',
  Advocacy_Feedback_Advocate: 'What the advocate said',
  Advocacy_Feedback_Prospect: 'What the prospect said',
  Advocacy_Feedback_Advocate_Said: 'advocate: {0}',
  Advocacy_Feedback_Prospect_Said: 'prospect: {0}',
  Advocacy_Save_Reference: 'Save',
  Advocacy_Reference_Recorded: 'Reference recorded as completed.',
};

/** labels/CustomLabels.labels-meta.xml: every label, English, public. */
export function customLabels(): string {
  return doc(
    'CustomLabels',
    Object.keys(SALESFORCE_LABELS)
      .sort()
      .map((name): Node => ['labels', [['fullName', name], ['categories', 'Advocacy Loop'], ['language', 'en_US'], ['protected', 'false'], ['shortDescription', name.replace(/^Advocacy_/, 'Advocacy ').replace(/_/g, ' ')], ['value', SALESFORCE_LABELS[name]]]]),
  );
}

/** lwc/advocacyLabels/advocacyLabels.js: the components' one door to the labels. */
export function labelsModule(): string {
  const names = Object.keys(SALESFORCE_LABELS).sort();
  return [
    '// Generated from objects/salesforce-labels.ts (npm run generate:objects): every custom label the',
    '// Advocacy Loop components show, imported once so a component names a label as LABELS.<name>.',
    ...names.map((n) => `import ${n} from '@salesforce/label/c.${n}';`),
    '',
    'export const LABELS = {',
    ...names.map((n) => `    ${n},`),
    '};',
    '',
  ].join('\n');
}
