import type { UserSubscriptions } from '@lm/api-model';
import type { Product } from '../../shared/products';
import type { ActiveDirectory } from './directory';
import type { VpcSettings } from './vpc-settings';

/** Whose registration, when: every command of a caller is scoped to its account. */
interface Context {
  arn: string;
  accountId: string;
  now: Date;
}

/** How the directory answered the registration's bind and search. */
export type RegistrationOutcome = { reached: true } | { reached: false; failureMessage: string };

export type IdentityProviderCommand =
  | ({
      type: 'RegisterIdentityProvider';
      region: string;
      product: Product;
      directory: ActiveDirectory;
      settings?: VpcSettings;
      tags: Record<string, string>;
    } & Context)
  | ({ type: 'UpdateIdentityProviderSettings'; update: UserSubscriptions.UpdateSettings } & Context)
  /** `blockers`: what still uses the directory (deregistration-blockers.ts), each a sentence. */
  | ({ type: 'DeregisterIdentityProvider'; blockers: string[] } & Context)
  | ({ type: 'TagIdentityProvider'; tags: Record<string, string> } & Context)
  | ({ type: 'UntagIdentityProvider'; tagKeys: string[] } & Context)
  /** The service's own: the registration step's outcome, and the end of a deregistration. */
  | ({ type: 'CompleteRegistration'; outcome: RegistrationOutcome } & Omit<Context, 'accountId'>)
  | ({ type: 'CompleteDeregistration' } & Omit<Context, 'accountId'>);
