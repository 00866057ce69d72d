import type { DeciderSpecification, DomainEvent } from '@lm/event-store';

/** The tag and untag commands of one resource (its ARN, its account), as its decider takes them. */
export interface TagCommands<Command> {
  tag(tags: Record<string, string>, caller?: string): Command;
  untag(tagKeys: string[]): Command;
}

/**
 * The tag commands of a resource of this API: `types` names its decider's two commands, which
 * every slice shapes alike ({type, arn, accountId, tags or tagKeys, now}); `caller` of a tag
 * defaults to the resource's account.
 */
export function tagCommandsOf<Command extends { type: string }>(
  types: { tag: Command['type']; untag: Command['type'] },
  resource: { arn: string; accountId: string },
  at: { tag: Date; untag: Date },
): TagCommands<Command> {
  const { arn, accountId } = resource;
  return {
    tag: (tags, caller = accountId) =>
      ({ type: types.tag, arn, accountId: caller, tags, now: at.tag }) as unknown as Command,
    untag: (tagKeys) => ({ type: types.untag, arn, accountId, tagKeys, now: at.untag }) as unknown as Command,
  };
}

/**
 * The tag rules every resource of this API decides alike, from `tagged`, a history whose resource
 * has `presentKey` among at least two tags: untagging records only the keys it has (`untagged`,
 * the event of `presentKey` alone) and nothing for keys it does not have; 50 tags at most; another
 * account's resource is not found.
 */
export function expectTagRules<Command, Event extends DomainEvent, State>(
  { given }: DeciderSpecification<Command, Event, State>,
  tagged: Event[],
  commands: TagCommands<NoInfer<Command>>,
  presentKey: string,
  untagged: NoInfer<Event>,
): void {
  given(tagged)
    .when(commands.untag([presentKey, 'absent']))
    .then([untagged]);
  given(tagged)
    .when(commands.untag(['absent']))
    .then([]);
  const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
  given(tagged)
    .when(commands.tag(many))
    .thenThrows({ name: 'ValidationException', message: /at most 50 tags/ });
  given(tagged)
    .when(commands.tag({ a: 'b' }, '222222222222'))
    .thenThrows({ name: 'ResourceNotFoundException' });
}
