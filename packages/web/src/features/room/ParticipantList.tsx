import type { ReactNode } from 'react';
import type { Participant } from '@parley/protocol';

/** Labels shown next to a role; listeners need none. */
const roleLabels: Partial<Record<Participant['role'], string>> = {
  host: 'Host',
  moderator: 'Moderator',
  speaker: 'Speaker',
};

/** The id of the element holding a participant's name (the row is labelled by it). */
function nameIdOf(participant: Participant): string {
  return `participant-${participant.id}`;
}

/**
 * "Invite Ben to speak" on a listener's row. The visible words are the accessible name, person
 * included, so it is unambiguous in a screen reader's list of buttons and to voice control.
 */
export function InviteButton({ participant, disabled, onClick }: { participant: Participant; disabled: boolean; onClick(): void }) {
  return (
    <button type="button" className="button small primary" onClick={onClick} disabled={disabled}>
      Invite {participant.displayName} to speak
    </button>
  );
}

/** Props of one participant row. */
export interface ParticipantRowProps {
  participant: Participant;
  isMe: boolean;
  speaking: boolean;
  /** What the viewer may do to this participant (invite button, moderation menu). */
  actions?: ReactNode;
}

/** Initials for the avatar circle. */
function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

/**
 * One person in the room: avatar (ringed while speaking), name, role, and state badges. Every visual
 * state also has text, so a screen reader hears "speaking", "muted" and "hand raised".
 */
export function ParticipantRow({ participant: p, isMe, speaking, actions }: ParticipantRowProps) {
  const nameId = nameIdOf(p);
  const role = roleLabels[p.role];
  return (
    <li className="participant" data-speaking={speaking || undefined} data-participant-id={p.id} aria-labelledby={nameId}>
      <span className="avatar" aria-hidden="true">
        {initialsOf(p.displayName)}
      </span>
      <div className="participant-body">
        <span id={nameId} className="participant-name">
          {p.displayName}
          {isMe && <span className="muted"> (you)</span>}
        </span>
        <span className="badges">
          {role && <span className="badge">{role}</span>}
          {p.admin && <span className="badge">Server admin</span>}
          {speaking && (
            <span className="badge speaking">
              <span aria-hidden="true">🔊 </span>Speaking
            </span>
          )}
          {p.role !== 'listener' && p.muted && (
            <span className="badge">
              <span aria-hidden="true">🔇 </span>Muted
            </span>
          )}
          {p.handRaisedAt && (
            <span className="badge hand">
              <span aria-hidden="true">✋ </span>Hand raised
            </span>
          )}
          {p.invitedToSpeak && <span className="badge">Invited to speak</span>}
        </span>
      </div>
      {actions && <div className="participant-actions">{actions}</div>}
    </li>
  );
}

/** A list of participants (numbered when `ordered`, as the hand queue is); says so when it is empty. */
export function ParticipantList({ children, empty, ordered }: { children: ReactNode[]; empty: string; ordered?: boolean }) {
  if (children.length === 0) return <p className="muted">{empty}</p>;
  return ordered ? <ol className="participant-list">{children}</ol> : <ul className="participant-list">{children}</ul>;
}
