/**
 * A system registered with Red Hat Subscription Manager, as its facts describe it: subscription-
 * manager's cloud facts collector reports, on an EC2 instance, the instance identity document's
 * `aws_instance_id` and `aws_account_id` (Red Hat's own cloud facts).
 */
export interface RegisteredSystem {
  uuid: string;
  facts: Record<string, string>;
}

/** An EC2 instance id as AWS writes it: i- and 8 or 17 hex digits. */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * The EC2 instances the provider's systems run on: a system is matched to the instance its
 * `aws_instance_id` fact names, a well-formed id only, whichever account it ran in (the
 * instances slice matches it within the accounts it shows: the provider's, or its organization's
 * for a management account). Systems without the fact (on premises, another cloud) match none.
 * Sorted and without repeats, so that two retrievals of the same systems compare equal.
 */
export function registeredInstanceIds(systems: readonly RegisteredSystem[]): string[] {
  const ids = new Set<string>();
  for (const system of systems) {
    const id = system.facts['aws_instance_id']?.trim();
    if (id && INSTANCE_ID.test(id)) ids.add(id);
  }
  return [...ids].sort();
}
