import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Credentials, Endpoint } from '../api/credentials';
import { LicenseManagerClient } from '../api/license-manager-client';
import { MonitoringClient } from '../api/monitoring-client';
import {
  linuxSubscriptionsClient,
  userSubscriptionsClient,
  type LinuxSubscriptionsClient,
  type UserSubscriptionsClient,
} from '../api/rest-json-client';

export interface Session {
  accessKeyId: string;
  region: string;
  licenseManager: LicenseManagerClient;
  userSubscriptions: UserSubscriptionsClient;
  linuxSubscriptions: LinuxSubscriptionsClient;
  /** The usage metrics (reporting's CloudWatch subset). */
  monitoring: MonitoringClient;
}

interface SessionState {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

/** A session for these credentials, not yet signed in: the sign-in page checks it with one call first. */
export function openSession(credentials: Credentials, endpoint: Endpoint): Session {
  return {
    accessKeyId: credentials.accessKeyId,
    region: endpoint.region,
    licenseManager: new LicenseManagerClient(credentials, endpoint),
    userSubscriptions: userSubscriptionsClient(credentials, endpoint),
    linuxSubscriptions: linuxSubscriptionsClient(credentials, endpoint),
    monitoring: new MonitoringClient(credentials, endpoint),
  };
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * Holds the credentials in React state, which lives as long as the tab: never in localStorage,
 * sessionStorage, a cookie or the URL. Signing out drops the clients, and with them the only
 * reference to the secret.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const state = useMemo<SessionState>(
    () => ({
      session,
      signIn: setSession,
      signOut: () => setSession(null),
    }),
    [session],
  );
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session, for pages shown only once signed in. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession while signed out');
  return session;
}
