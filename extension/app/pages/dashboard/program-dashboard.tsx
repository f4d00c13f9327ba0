import { hubspot } from '@hubspot/ui-extensions';
import { createPageRouter, PageRoutes } from '@hubspot/ui-extensions/pages';
import { createContext, useContext } from 'react';
import { ProgramDashboardPage, type DashboardContext } from './ProgramDashboard';

// The app's pages: one route, the program dashboard, as the app's main page. Routes render
// without props, so the extension context reaches them through React context.

const HostContext = createContext<DashboardContext>({});

function Dashboard() {
  return <ProgramDashboardPage context={useContext(HostContext)} />;
}

const Router = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={Dashboard} />
  </PageRoutes>,
);

hubspot.extend<'pages'>(({ context }) => (
  <HostContext.Provider value={context}>
    <Router />
  </HostContext.Provider>
));
