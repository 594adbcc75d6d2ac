import type { PersonRef } from '@parley/protocol';

/**
 * A person's avatar, or their initial when they have none. Decorative (empty alt): the name is always
 * next to it.
 */
export function PersonAvatar({ person, large = false }: { person: PersonRef; large?: boolean }) {
  const className = large ? 'profile-avatar' : 'person-avatar';
  if (person.avatarUrl) return <img className={className} src={person.avatarUrl} alt="" width={large ? 96 : 40} height={large ? 96 : 40} />;
  return (
    <span className={className} aria-hidden="true">
      {person.displayName.slice(0, 1).toUpperCase()}
    </span>
  );
}
