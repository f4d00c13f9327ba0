import { hubspot } from '@hubspot/ui-extensions';
import { CompanyAdvocacyCard } from './components/CompanyAdvocacyCard';

hubspot.extend<'crm.record.tab'>(({ context, actions }) => <CompanyAdvocacyCard context={context} copy={actions.copyTextToClipboard} />);
