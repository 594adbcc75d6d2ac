import type { AuditAction, AuditEntry, AuditPerson } from '@parley/protocol';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One act as a sentence: "Ada muted Ben". */
function describe(action: AuditAction, actor: string, target: string): string {
  switch (action) {
    case 'muteOther':
      return `${actor} muted ${target}`;
    case 'moveToAudience':
      return `${actor} moved ${target} to the audience`;
    case 'remove':
      return `${actor} removed ${target}`;
    case 'promoteModerator':
      return `${actor} made ${target} a moderator`;
    case 'demoteModerator':
      return `${actor} removed ${target} as moderator`;
    case 'endRoom':
      return `${actor} ended the room`;
    case 'grantAccess':
      return `${actor} let ${target} into the room`;
    case 'revokeAccess':
      return `${actor} took ${target} off the access list`;
    case 'suspend':
      return `${actor} suspended ${target}`;
    case 'unsuspend':
      return `${actor} lifted the suspension of ${target}`;
    case 'dismissReport':
      return `${actor} dismissed a report about ${target}`;
  }
}

function nameOf(person: AuditPerson | null): string {
  if (!person) return 'someone';
  return person.username ? `${person.displayName} (@${person.username})` : `${person.displayName} (guest)`;
}

/** The audit log as a list, newest first: when, who did what to whom, in which room, and any note. */
export function AuditList({ entries, showRoom }: { entries: readonly AuditEntry[]; showRoom: boolean }) {
  if (entries.length === 0) return <p className="muted">No moderation acts yet.</p>;
  return (
    <ol className="audit-list">
      {entries.map((entry) => (
        <li key={entry.id}>
          <time dateTime={entry.at} className="muted">
            {timeFormat.format(new Date(entry.at))}
          </time>{' '}
          {describe(entry.action, nameOf(entry.actor), nameOf(entry.target))}
          {showRoom && entry.room && <span className="muted"> · in “{entry.room.title}”</span>}
          {entry.note && <span className="muted"> · “{entry.note}”</span>}
        </li>
      ))}
    </ol>
  );
}
