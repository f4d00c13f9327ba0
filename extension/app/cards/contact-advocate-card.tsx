import { hubspot } from '@hubspot/ui-extensions';
import { ContactAdvocateCard } from './components/ContactAdvocateCard';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <ContactAdvocateCard context={context} />);
