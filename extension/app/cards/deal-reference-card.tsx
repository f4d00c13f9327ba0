import { hubspot } from '@hubspot/ui-extensions';
import { DealReferenceCard } from './components/DealReferenceCard';

hubspot.extend<'crm.record.tab'>(({ context }) => <DealReferenceCard context={context} />);
