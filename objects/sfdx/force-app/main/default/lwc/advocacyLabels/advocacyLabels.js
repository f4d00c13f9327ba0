// Generated from objects/salesforce-labels.ts (npm run generate:objects): every custom label the
// Advocacy Loop components show, imported once so a component names a label as LABELS.<name>.
import Advocacy_Account_Card_Title from '@salesforce/label/c.Advocacy_Account_Card_Title';
import Advocacy_Advocate from '@salesforce/label/c.Advocacy_Advocate';
import Advocacy_Ask from '@salesforce/label/c.Advocacy_Ask';
import Advocacy_Ask_Cancelled from '@salesforce/label/c.Advocacy_Ask_Cancelled';
import Advocacy_Ask_In_Progress from '@salesforce/label/c.Advocacy_Ask_In_Progress';
import Advocacy_Ask_Recorded from '@salesforce/label/c.Advocacy_Ask_Recorded';
import Advocacy_Ask_Type from '@salesforce/label/c.Advocacy_Ask_Type';
import Advocacy_Ask_advisory_board from '@salesforce/label/c.Advocacy_Ask_advisory_board';
import Advocacy_Ask_case_study from '@salesforce/label/c.Advocacy_Ask_case_study';
import Advocacy_Ask_logo from '@salesforce/label/c.Advocacy_Ask_logo';
import Advocacy_Ask_quote from '@salesforce/label/c.Advocacy_Ask_quote';
import Advocacy_Ask_reference_call from '@salesforce/label/c.Advocacy_Ask_reference_call';
import Advocacy_Ask_review from '@salesforce/label/c.Advocacy_Ask_review';
import Advocacy_Ask_speaking from '@salesforce/label/c.Advocacy_Ask_speaking';
import Advocacy_Asked_By_Csm from '@salesforce/label/c.Advocacy_Asked_By_Csm';
import Advocacy_Asked_On from '@salesforce/label/c.Advocacy_Asked_On';
import Advocacy_Band_amber from '@salesforce/label/c.Advocacy_Band_amber';
import Advocacy_Band_green from '@salesforce/label/c.Advocacy_Band_green';
import Advocacy_Band_red from '@salesforce/label/c.Advocacy_Band_red';
import Advocacy_Cancel from '@salesforce/label/c.Advocacy_Cancel';
import Advocacy_Cancel_Ask from '@salesforce/label/c.Advocacy_Cancel_Ask';
import Advocacy_Cancel_Reason from '@salesforce/label/c.Advocacy_Cancel_Reason';
import Advocacy_Cap_Account_Asks from '@salesforce/label/c.Advocacy_Cap_Account_Asks';
import Advocacy_Cap_Frees_On from '@salesforce/label/c.Advocacy_Cap_Frees_On';
import Advocacy_Cap_Reference_Calls from '@salesforce/label/c.Advocacy_Cap_Reference_Calls';
import Advocacy_Cap_Used from '@salesforce/label/c.Advocacy_Cap_Used';
import Advocacy_Company from '@salesforce/label/c.Advocacy_Company';
import Advocacy_Consent_Evidence from '@salesforce/label/c.Advocacy_Consent_Evidence';
import Advocacy_Consent_Expires from '@salesforce/label/c.Advocacy_Consent_Expires';
import Advocacy_Consent_Line from '@salesforce/label/c.Advocacy_Consent_Line';
import Advocacy_Consent_Revoked from '@salesforce/label/c.Advocacy_Consent_Revoked';
import Advocacy_Consent_Revoked_On from '@salesforce/label/c.Advocacy_Consent_Revoked_On';
import Advocacy_Consent_Until from '@salesforce/label/c.Advocacy_Consent_Until';
import Advocacy_Consents from '@salesforce/label/c.Advocacy_Consents';
import Advocacy_Contact from '@salesforce/label/c.Advocacy_Contact';
import Advocacy_Contact_Card_Title from '@salesforce/label/c.Advocacy_Contact_Card_Title';
import Advocacy_Copied from '@salesforce/label/c.Advocacy_Copied';
import Advocacy_Copy_Failed from '@salesforce/label/c.Advocacy_Copy_Failed';
import Advocacy_Copy_Outreach from '@salesforce/label/c.Advocacy_Copy_Outreach';
import Advocacy_Create_Task from '@salesforce/label/c.Advocacy_Create_Task';
import Advocacy_Csm_Ask_Recorded from '@salesforce/label/c.Advocacy_Csm_Ask_Recorded';
import Advocacy_Csm_Line from '@salesforce/label/c.Advocacy_Csm_Line';
import Advocacy_Days_Ago from '@salesforce/label/c.Advocacy_Days_Ago';
import Advocacy_Do_Not_Contact from '@salesforce/label/c.Advocacy_Do_Not_Contact';
import Advocacy_Do_Not_Contact_Warning from '@salesforce/label/c.Advocacy_Do_Not_Contact_Warning';
import Advocacy_Error_Generic from '@salesforce/label/c.Advocacy_Error_Generic';
import Advocacy_Error_Not_Visible from '@salesforce/label/c.Advocacy_Error_Not_Visible';
import Advocacy_Error_Unauthorized from '@salesforce/label/c.Advocacy_Error_Unauthorized';
import Advocacy_Error_Unreachable from '@salesforce/label/c.Advocacy_Error_Unreachable';
import Advocacy_Error_Unreadable from '@salesforce/label/c.Advocacy_Error_Unreadable';
import Advocacy_Feedback_Advocate from '@salesforce/label/c.Advocacy_Feedback_Advocate';
import Advocacy_Feedback_Advocate_Said from '@salesforce/label/c.Advocacy_Feedback_Advocate_Said';
import Advocacy_Feedback_Prospect from '@salesforce/label/c.Advocacy_Feedback_Prospect';
import Advocacy_Feedback_Prospect_Said from '@salesforce/label/c.Advocacy_Feedback_Prospect_Said';
import Advocacy_Find_Advocates from '@salesforce/label/c.Advocacy_Find_Advocates';
import Advocacy_Finding_Advocates from '@salesforce/label/c.Advocacy_Finding_Advocates';
import Advocacy_Fit from '@salesforce/label/c.Advocacy_Fit';
import Advocacy_Handoff_Hold_Back from '@salesforce/label/c.Advocacy_Handoff_Hold_Back';
import Advocacy_Handoff_Must_Act from '@salesforce/label/c.Advocacy_Handoff_Must_Act';
import Advocacy_Handoff_Title from '@salesforce/label/c.Advocacy_Handoff_Title';
import Advocacy_History from '@salesforce/label/c.Advocacy_History';
import Advocacy_Last_Ask from '@salesforce/label/c.Advocacy_Last_Ask';
import Advocacy_Last_Ask_Label from '@salesforce/label/c.Advocacy_Last_Ask_Label';
import Advocacy_Last_Used from '@salesforce/label/c.Advocacy_Last_Used';
import Advocacy_Latest_Nps from '@salesforce/label/c.Advocacy_Latest_Nps';
import Advocacy_Loading_Profile from '@salesforce/label/c.Advocacy_Loading_Profile';
import Advocacy_Loading_Readiness from '@salesforce/label/c.Advocacy_Loading_Readiness';
import Advocacy_Loading_References from '@salesforce/label/c.Advocacy_Loading_References';
import Advocacy_Mark_Sent from '@salesforce/label/c.Advocacy_Mark_Sent';
import Advocacy_Marked_Sent from '@salesforce/label/c.Advocacy_Marked_Sent';
import Advocacy_Missing from '@salesforce/label/c.Advocacy_Missing';
import Advocacy_Missing_Signals from '@salesforce/label/c.Advocacy_Missing_Signals';
import Advocacy_Need_Title from '@salesforce/label/c.Advocacy_Need_Title';
import Advocacy_Need_competitor from '@salesforce/label/c.Advocacy_Need_competitor';
import Advocacy_Need_dueOn from '@salesforce/label/c.Advocacy_Need_dueOn';
import Advocacy_Need_industry from '@salesforce/label/c.Advocacy_Need_industry';
import Advocacy_Need_language from '@salesforce/label/c.Advocacy_Need_language';
import Advocacy_Need_product from '@salesforce/label/c.Advocacy_Need_product';
import Advocacy_Need_region from '@salesforce/label/c.Advocacy_Need_region';
import Advocacy_Need_sizeBand from '@salesforce/label/c.Advocacy_Need_sizeBand';
import Advocacy_Need_useCase from '@salesforce/label/c.Advocacy_Need_useCase';
import Advocacy_Never_Asked from '@salesforce/label/c.Advocacy_Never_Asked';
import Advocacy_New_Status from '@salesforce/label/c.Advocacy_New_Status';
import Advocacy_Next_Ask_Hint from '@salesforce/label/c.Advocacy_Next_Ask_Hint';
import Advocacy_Next_Outcomes from '@salesforce/label/c.Advocacy_Next_Outcomes';
import Advocacy_No_Consents from '@salesforce/label/c.Advocacy_No_Consents';
import Advocacy_No_History from '@salesforce/label/c.Advocacy_No_History';
import Advocacy_No_History_Title from '@salesforce/label/c.Advocacy_No_History_Title';
import Advocacy_No_Match from '@salesforce/label/c.Advocacy_No_Match';
import Advocacy_No_Nps from '@salesforce/label/c.Advocacy_No_Nps';
import Advocacy_No_Owner from '@salesforce/label/c.Advocacy_No_Owner';
import Advocacy_No_Readiness from '@salesforce/label/c.Advocacy_No_Readiness';
import Advocacy_No_Requests from '@salesforce/label/c.Advocacy_No_Requests';
import Advocacy_Not_Ready from '@salesforce/label/c.Advocacy_Not_Ready';
import Advocacy_Not_Used_Yet from '@salesforce/label/c.Advocacy_Not_Used_Yet';
import Advocacy_Note from '@salesforce/label/c.Advocacy_Note';
import Advocacy_Note_On_Ask from '@salesforce/label/c.Advocacy_Note_On_Ask';
import Advocacy_Note_Saved from '@salesforce/label/c.Advocacy_Note_Saved';
import Advocacy_Nps from '@salesforce/label/c.Advocacy_Nps';
import Advocacy_On_Time from '@salesforce/label/c.Advocacy_On_Time';
import Advocacy_One_Day_Ago from '@salesforce/label/c.Advocacy_One_Day_Ago';
import Advocacy_Open_Account from '@salesforce/label/c.Advocacy_Open_Account';
import Advocacy_Open_Ask_Accepted from '@salesforce/label/c.Advocacy_Open_Ask_Accepted';
import Advocacy_Open_Ask_Proposed from '@salesforce/label/c.Advocacy_Open_Ask_Proposed';
import Advocacy_Open_Ask_Sent from '@salesforce/label/c.Advocacy_Open_Ask_Sent';
import Advocacy_Open_Ask_Title from '@salesforce/label/c.Advocacy_Open_Ask_Title';
import Advocacy_Opportunity_Card_Title from '@salesforce/label/c.Advocacy_Opportunity_Card_Title';
import Advocacy_Outcome from '@salesforce/label/c.Advocacy_Outcome';
import Advocacy_Outcome_Recorded from '@salesforce/label/c.Advocacy_Outcome_Recorded';
import Advocacy_Outreach from '@salesforce/label/c.Advocacy_Outreach';
import Advocacy_Outreach_Copy from '@salesforce/label/c.Advocacy_Outreach_Copy';
import Advocacy_Overdue from '@salesforce/label/c.Advocacy_Overdue';
import Advocacy_Paused_Until from '@salesforce/label/c.Advocacy_Paused_Until';
import Advocacy_Points from '@salesforce/label/c.Advocacy_Points';
import Advocacy_Proposed_Ask from '@salesforce/label/c.Advocacy_Proposed_Ask';
import Advocacy_Record_Ask from '@salesforce/label/c.Advocacy_Record_Ask';
import Advocacy_Record_Outcome from '@salesforce/label/c.Advocacy_Record_Outcome';
import Advocacy_Record_Reference from '@salesforce/label/c.Advocacy_Record_Reference';
import Advocacy_Record_Reference_With from '@salesforce/label/c.Advocacy_Record_Reference_With';
import Advocacy_Record_Your_Ask from '@salesforce/label/c.Advocacy_Record_Your_Ask';
import Advocacy_Reference_Recorded from '@salesforce/label/c.Advocacy_Reference_Recorded';
import Advocacy_Request from '@salesforce/label/c.Advocacy_Request';
import Advocacy_Requested from '@salesforce/label/c.Advocacy_Requested';
import Advocacy_Requested_On from '@salesforce/label/c.Advocacy_Requested_On';
import Advocacy_Requests_Title from '@salesforce/label/c.Advocacy_Requests_Title';
import Advocacy_Retry from '@salesforce/label/c.Advocacy_Retry';
import Advocacy_Revoke from '@salesforce/label/c.Advocacy_Revoke';
import Advocacy_Save_Note from '@salesforce/label/c.Advocacy_Save_Note';
import Advocacy_Save_Reference from '@salesforce/label/c.Advocacy_Save_Reference';
import Advocacy_Service_Level from '@salesforce/label/c.Advocacy_Service_Level';
import Advocacy_Signal from '@salesforce/label/c.Advocacy_Signal';
import Advocacy_Signal_csat from '@salesforce/label/c.Advocacy_Signal_csat';
import Advocacy_Signal_engagement from '@salesforce/label/c.Advocacy_Signal_engagement';
import Advocacy_Signal_health from '@salesforce/label/c.Advocacy_Signal_health';
import Advocacy_Signal_nps from '@salesforce/label/c.Advocacy_Signal_nps';
import Advocacy_Signal_priorAdvocacy from '@salesforce/label/c.Advocacy_Signal_priorAdvocacy';
import Advocacy_Signal_seniority from '@salesforce/label/c.Advocacy_Signal_seniority';
import Advocacy_Signal_tenure from '@salesforce/label/c.Advocacy_Signal_tenure';
import Advocacy_Signal_usage from '@salesforce/label/c.Advocacy_Signal_usage';
import Advocacy_Since from '@salesforce/label/c.Advocacy_Since';
import Advocacy_Stage_approved from '@salesforce/label/c.Advocacy_Stage_approved';
import Advocacy_Stage_completed from '@salesforce/label/c.Advocacy_Stage_completed';
import Advocacy_Stage_declined from '@salesforce/label/c.Advocacy_Stage_declined';
import Advocacy_Stage_requested from '@salesforce/label/c.Advocacy_Stage_requested';
import Advocacy_Stage_scheduled from '@salesforce/label/c.Advocacy_Stage_scheduled';
import Advocacy_Status from '@salesforce/label/c.Advocacy_Status';
import Advocacy_Status_accepted from '@salesforce/label/c.Advocacy_Status_accepted';
import Advocacy_Status_cancelled from '@salesforce/label/c.Advocacy_Status_cancelled';
import Advocacy_Status_completed from '@salesforce/label/c.Advocacy_Status_completed';
import Advocacy_Status_declined from '@salesforce/label/c.Advocacy_Status_declined';
import Advocacy_Status_no_response from '@salesforce/label/c.Advocacy_Status_no_response';
import Advocacy_Status_proposed from '@salesforce/label/c.Advocacy_Status_proposed';
import Advocacy_Status_sent from '@salesforce/label/c.Advocacy_Status_sent';
import Advocacy_Strategic from '@salesforce/label/c.Advocacy_Strategic';
import Advocacy_Subject from '@salesforce/label/c.Advocacy_Subject';
import Advocacy_Task_Created from '@salesforce/label/c.Advocacy_Task_Created';
import Advocacy_The_Contact from '@salesforce/label/c.Advocacy_The_Contact';
import Advocacy_Them from '@salesforce/label/c.Advocacy_Them';
import Advocacy_Today from '@salesforce/label/c.Advocacy_Today';
import Advocacy_Value from '@salesforce/label/c.Advocacy_Value';
import Advocacy_Why from '@salesforce/label/c.Advocacy_Why';
import Advocacy_Why_This_Ask from '@salesforce/label/c.Advocacy_Why_This_Ask';
import Advocacy_Why_This_Score from '@salesforce/label/c.Advocacy_Why_This_Score';

export const LABELS = {
    Advocacy_Account_Card_Title,
    Advocacy_Advocate,
    Advocacy_Ask,
    Advocacy_Ask_Cancelled,
    Advocacy_Ask_In_Progress,
    Advocacy_Ask_Recorded,
    Advocacy_Ask_Type,
    Advocacy_Ask_advisory_board,
    Advocacy_Ask_case_study,
    Advocacy_Ask_logo,
    Advocacy_Ask_quote,
    Advocacy_Ask_reference_call,
    Advocacy_Ask_review,
    Advocacy_Ask_speaking,
    Advocacy_Asked_By_Csm,
    Advocacy_Asked_On,
    Advocacy_Band_amber,
    Advocacy_Band_green,
    Advocacy_Band_red,
    Advocacy_Cancel,
    Advocacy_Cancel_Ask,
    Advocacy_Cancel_Reason,
    Advocacy_Cap_Account_Asks,
    Advocacy_Cap_Frees_On,
    Advocacy_Cap_Reference_Calls,
    Advocacy_Cap_Used,
    Advocacy_Company,
    Advocacy_Consent_Evidence,
    Advocacy_Consent_Expires,
    Advocacy_Consent_Line,
    Advocacy_Consent_Revoked,
    Advocacy_Consent_Revoked_On,
    Advocacy_Consent_Until,
    Advocacy_Consents,
    Advocacy_Contact,
    Advocacy_Contact_Card_Title,
    Advocacy_Copied,
    Advocacy_Copy_Failed,
    Advocacy_Copy_Outreach,
    Advocacy_Create_Task,
    Advocacy_Csm_Ask_Recorded,
    Advocacy_Csm_Line,
    Advocacy_Days_Ago,
    Advocacy_Do_Not_Contact,
    Advocacy_Do_Not_Contact_Warning,
    Advocacy_Error_Generic,
    Advocacy_Error_Not_Visible,
    Advocacy_Error_Unauthorized,
    Advocacy_Error_Unreachable,
    Advocacy_Error_Unreadable,
    Advocacy_Feedback_Advocate,
    Advocacy_Feedback_Advocate_Said,
    Advocacy_Feedback_Prospect,
    Advocacy_Feedback_Prospect_Said,
    Advocacy_Find_Advocates,
    Advocacy_Finding_Advocates,
    Advocacy_Fit,
    Advocacy_Handoff_Hold_Back,
    Advocacy_Handoff_Must_Act,
    Advocacy_Handoff_Title,
    Advocacy_History,
    Advocacy_Last_Ask,
    Advocacy_Last_Ask_Label,
    Advocacy_Last_Used,
    Advocacy_Latest_Nps,
    Advocacy_Loading_Profile,
    Advocacy_Loading_Readiness,
    Advocacy_Loading_References,
    Advocacy_Mark_Sent,
    Advocacy_Marked_Sent,
    Advocacy_Missing,
    Advocacy_Missing_Signals,
    Advocacy_Need_Title,
    Advocacy_Need_competitor,
    Advocacy_Need_dueOn,
    Advocacy_Need_industry,
    Advocacy_Need_language,
    Advocacy_Need_product,
    Advocacy_Need_region,
    Advocacy_Need_sizeBand,
    Advocacy_Need_useCase,
    Advocacy_Never_Asked,
    Advocacy_New_Status,
    Advocacy_Next_Ask_Hint,
    Advocacy_Next_Outcomes,
    Advocacy_No_Consents,
    Advocacy_No_History,
    Advocacy_No_History_Title,
    Advocacy_No_Match,
    Advocacy_No_Nps,
    Advocacy_No_Owner,
    Advocacy_No_Readiness,
    Advocacy_No_Requests,
    Advocacy_Not_Ready,
    Advocacy_Not_Used_Yet,
    Advocacy_Note,
    Advocacy_Note_On_Ask,
    Advocacy_Note_Saved,
    Advocacy_Nps,
    Advocacy_On_Time,
    Advocacy_One_Day_Ago,
    Advocacy_Open_Account,
    Advocacy_Open_Ask_Accepted,
    Advocacy_Open_Ask_Proposed,
    Advocacy_Open_Ask_Sent,
    Advocacy_Open_Ask_Title,
    Advocacy_Opportunity_Card_Title,
    Advocacy_Outcome,
    Advocacy_Outcome_Recorded,
    Advocacy_Outreach,
    Advocacy_Outreach_Copy,
    Advocacy_Overdue,
    Advocacy_Paused_Until,
    Advocacy_Points,
    Advocacy_Proposed_Ask,
    Advocacy_Record_Ask,
    Advocacy_Record_Outcome,
    Advocacy_Record_Reference,
    Advocacy_Record_Reference_With,
    Advocacy_Record_Your_Ask,
    Advocacy_Reference_Recorded,
    Advocacy_Request,
    Advocacy_Requested,
    Advocacy_Requested_On,
    Advocacy_Requests_Title,
    Advocacy_Retry,
    Advocacy_Revoke,
    Advocacy_Save_Note,
    Advocacy_Save_Reference,
    Advocacy_Service_Level,
    Advocacy_Signal,
    Advocacy_Signal_csat,
    Advocacy_Signal_engagement,
    Advocacy_Signal_health,
    Advocacy_Signal_nps,
    Advocacy_Signal_priorAdvocacy,
    Advocacy_Signal_seniority,
    Advocacy_Signal_tenure,
    Advocacy_Signal_usage,
    Advocacy_Since,
    Advocacy_Stage_approved,
    Advocacy_Stage_completed,
    Advocacy_Stage_declined,
    Advocacy_Stage_requested,
    Advocacy_Stage_scheduled,
    Advocacy_Status,
    Advocacy_Status_accepted,
    Advocacy_Status_cancelled,
    Advocacy_Status_completed,
    Advocacy_Status_declined,
    Advocacy_Status_no_response,
    Advocacy_Status_proposed,
    Advocacy_Status_sent,
    Advocacy_Strategic,
    Advocacy_Subject,
    Advocacy_Task_Created,
    Advocacy_The_Contact,
    Advocacy_Them,
    Advocacy_Today,
    Advocacy_Value,
    Advocacy_Why,
    Advocacy_Why_This_Ask,
    Advocacy_Why_This_Score,
};
