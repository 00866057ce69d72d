import type { Product } from '../../shared/products';
import type { UserAssociationEventData } from '@lm/contracts';

interface Context {
  arn: string;
  now: Date;
}

export type AssociationOutcome = { associated: true } | { associated: false; statusMessage: string };

export type UserAssociationCommand =
  /** The application has found the instance and the user's subscriptions to what it provides. */
  | ({
      type: 'AssociateUser';
      accountId: string;
      region: string;
      instanceId: string;
      directoryId: string;
      username: string;
      domain: string;
      products: Product[];
      identityProviderArns: string[];
      tags: Record<string, string>;
    } & Context)
  | ({ type: 'DisassociateUser'; accountId: string } & Context)
  | ({ type: 'TagInstanceUser'; accountId: string; tags: Record<string, string> } & Context)
  | ({ type: 'UntagInstanceUser'; accountId: string; tagKeys: string[] } & Context)
  /** The service's own: the end of an association's step. */
  | ({ type: 'CompleteAssociation'; outcome: AssociationOutcome } & Context)
  /** The instance was terminated (discovery's events): its users go. */
  | ({
      type: 'EndWithInstance';
      reason: Exclude<UserAssociationEventData['UserDisassociated']['reason'], 'REQUESTED'>;
    } & Context);
