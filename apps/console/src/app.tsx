import { AssetGroupsPage } from './pages/asset-groups';
import { ConversionsPage } from './pages/conversions';
import { DashboardPage } from './pages/dashboard';
import { InventoryPage } from './pages/inventory';
import { LicenseCreatePage } from './pages/license-create';
import { LicenseDetailPage } from './pages/license-detail';
import { LicenseEditPage } from './pages/license-edit';
import { LinuxSubscriptionsPage } from './pages/linux-subscriptions';
import { GrantedLicensePage, IssuedLicensePage } from './pages/license-overview';
import { LicensesPage } from './pages/licenses';
import { GrantedLicensesPage } from './pages/licenses-granted';
import { IssuedLicensesPage } from './pages/licenses-issued';
import { IssuedLicenseCreatePage } from './pages/licenses-issued-create';
import { ReportsPage } from './pages/reports';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { UserSubscriptionsPage } from './pages/user-subscriptions';
import { hrefOf, navigate, useRoute, type Route } from './router';
import { useSessionState } from './session/session';

const NAVIGATION = [
  { href: hrefOf.dashboard(), label: 'Dashboard', pages: ['dashboard'] },
  {
    href: hrefOf.licenses(),
    label: 'Self-managed licenses',
    pages: ['licenses', 'create-license', 'license', 'edit-license'],
  },
  { href: hrefOf.grantedLicenses(), label: 'Granted licenses', pages: ['granted-licenses', 'granted-license'] },
  {
    href: hrefOf.issuedLicenses(),
    label: 'Issued licenses',
    pages: ['issued-licenses', 'create-issued-license', 'issued-license'],
  },
  { href: hrefOf.page('inventory'), label: 'Inventory search', pages: ['inventory'] },
  { href: hrefOf.page('user-subscriptions'), label: 'User-based subscriptions', pages: ['user-subscriptions'] },
  { href: hrefOf.page('linux-subscriptions'), label: 'Linux subscriptions', pages: ['linux-subscriptions'] },
  { href: hrefOf.page('conversions'), label: 'License type conversion', pages: ['conversions'] },
  { href: hrefOf.page('asset-groups'), label: 'License asset groups', pages: ['asset-groups'] },
  { href: hrefOf.page('reports'), label: 'Usage reports', pages: ['reports'] },
  { href: hrefOf.page('settings'), label: 'Settings', pages: ['settings'] },
];

export function App() {
  const { session, signOut } = useSessionState();
  const route = useRoute();
  if (!session) return <SignInPage />;
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="product">License Manager</span>
        <span className="who">
          {session.accessKeyId} · {session.region}
        </span>
        <button
          type="button"
          onClick={() => {
            signOut();
            // The next person to sign in starts at the dashboard, not on the page this one left.
            navigate(hrefOf.dashboard());
          }}
        >
          Sign out
        </button>
      </header>
      <nav className="side-nav" aria-label="Console">
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" tabIndex={-1}>
        <Page route={route} />
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'licenses':
      return <LicensesPage />;
    case 'create-license':
      return <LicenseCreatePage />;
    case 'license':
      // A page per configuration: its state starts afresh when another one is shown.
      return <LicenseDetailPage key={route.arn} arn={route.arn} />;
    case 'edit-license':
      return <LicenseEditPage key={route.arn} arn={route.arn} />;
    case 'inventory':
      return <InventoryPage />;
    case 'reports':
      return <ReportsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'user-subscriptions':
      return <UserSubscriptionsPage />;
    case 'linux-subscriptions':
      return <LinuxSubscriptionsPage />;
    case 'conversions':
      return <ConversionsPage />;
    case 'asset-groups':
      return <AssetGroupsPage />;
    case 'granted-licenses':
      return <GrantedLicensesPage />;
    case 'granted-license':
      return <GrantedLicensePage key={route.arn} arn={route.arn} />;
    case 'issued-licenses':
      return <IssuedLicensesPage />;
    case 'create-issued-license':
      return <IssuedLicenseCreatePage />;
    case 'issued-license':
      return <IssuedLicensePage key={route.arn} arn={route.arn} />;
    case 'not-found':
      return (
        <>
          <h1>Page not found</h1>
          <p>
            Nothing is at {route.path}. <a href={hrefOf.dashboard()}>Go to the dashboard</a>.
          </p>
        </>
      );
  }
}
