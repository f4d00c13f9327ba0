import { localCrmMigration } from './001-local-crm';
import { advocacyMigration } from './002-advocacy';
import { hubspotMigration } from './003-hubspot';
import { salesforceMigration } from './004-salesforce';
import { hubspotTokensMigration } from './005-hubspot-tokens';
import { changeEventsMigration } from './006-change-events';
import { referenceTopicsMigration } from './007-reference-topics';
import { sharedServiceStateMigration } from './008-shared-service-state';
import { oauthStatesMigration } from './009-oauth-states';
import { outboxClaimsMigration } from './010-outbox-claims';
import { criteriaHashMigration } from './011-criteria-hash';
import { auditMacMigration } from './012-audit-mac';
import { personalDataMigration } from './013-personal-data';
import { salesforceOrgKeysMigration } from './014-salesforce-org-keys';
import { appLifecycleMigration } from './015-app-lifecycle';
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [localCrmMigration, advocacyMigration, hubspotMigration, salesforceMigration, hubspotTokensMigration, changeEventsMigration, referenceTopicsMigration, sharedServiceStateMigration, oauthStatesMigration, outboxClaimsMigration, criteriaHashMigration, auditMacMigration, personalDataMigration, salesforceOrgKeysMigration, appLifecycleMigration];
export type { Migration };
