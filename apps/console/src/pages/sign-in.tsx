import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { ErrorMessage } from '../components/error-message';
import { openSession, useSessionState } from '../session/session';

/** What the gateway answers when it does not accept the keys or their signature (as AWS does). */
const AUTHENTICATION_ERRORS = new Set([
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

/** The gateway says which Region it serves (GET /console/deployment.json): signatures must be scoped to it. */
async function deploymentRegion(): Promise<string | undefined> {
  try {
    const response = await fetch('deployment.json', { cache: 'no-store', credentials: 'omit' });
    return response.ok ? ((await response.json()) as { region?: string }).region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sign-in with an access key pair, or temporary credentials and their session token. The keys are
 * checked with one signed read; they are kept in memory only, and the fields are cleared once used.
 */
export function SignInPage() {
  const { signIn } = useSessionState();
  const [region, setRegion] = useState('us-east-1');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void deploymentRegion().then((served) => served && setRegion(served));
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const sessionToken = field('sessionToken');
    setBusy(true);
    setError(null);
    const session = openSession(
      {
        accessKeyId: field('accessKeyId'),
        secretAccessKey: field('secretAccessKey'),
        sessionToken: sessionToken || undefined,
      },
      { origin: window.location.origin, region: field('region') },
    );
    try {
      await session.licenseManager.call('ListLicenseConfigurations', { MaxResults: 1 });
    } catch (failure) {
      // Any other answer still means the keys were accepted: the service missing from this deployment
      // (501), or credentials that may not list configurations (temporary ones limited to one licence),
      // which the pages then say beside what they could not read.
      if (!(failure instanceof ApiError) || AUTHENTICATION_ERRORS.has(failure.code)) {
        setError(failure);
        setBusy(false);
        return;
      }
    }
    form.reset();
    signIn(session);
  };

  return (
    <main className="sign-in">
      <h1>License Manager</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <h2>Sign in</h2>
        <p className="hint">
          With an account's access key, or temporary credentials. They stay in this tab's memory until you sign out or
          close it.
        </p>
        <label htmlFor="accessKeyId">Access key ID</label>
        <input id="accessKeyId" name="accessKeyId" required autoComplete="username" spellCheck={false} />
        <label htmlFor="secretAccessKey">Secret access key</label>
        <input id="secretAccessKey" name="secretAccessKey" type="password" required autoComplete="current-password" />
        <label htmlFor="sessionToken">Session token (temporary credentials only)</label>
        <input id="sessionToken" name="sessionToken" type="password" autoComplete="off" />
        <label htmlFor="region">Region</label>
        <input id="region" name="region" value={region} onChange={(e) => setRegion(e.target.value)} required />
        {error !== null && <ErrorMessage error={error} id="sign-in-error" />}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
