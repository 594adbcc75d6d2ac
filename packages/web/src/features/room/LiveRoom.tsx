import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RoomSession } from '@parley/client';
import type { Participant } from '@parley/protocol';
import { isOnStage } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useSession } from '../session/SessionProvider';
import { InvitePrompt } from './InvitePrompt';
import { MicrophoneAlert } from './MicrophoneAlert';
import { ModerationMenu } from './ModerationMenu';
import { muteOriginOf } from './muteOrigin';
import { InviteButton, ParticipantList, ParticipantRow } from './ParticipantList';
import { mayInvite, moderationTools, runsStage, safetyTools, type ModerationTool } from './permissions';
import { useClient } from '../../app/ClientContext';
import { blockedMessage } from '../safety/BlockButton';
import { ReportDialog } from '../safety/ReportDialog';
import { AccessListPanel } from './AccessListPanel';
import { RoomAuditPanel } from './RoomAuditPanel';
import { RemoveDialog } from './RemoveDialog';
import { RoomHeading } from './RoomHeading';
import { roomLists } from './roomLists';
import { RemoteAudio, resumeRemoteAudio } from './RemoteAudio';
import { RoomControls } from './RoomControls';
import { MicrophoneOffNotice, MutedByModeratorNotice } from './StageNotices';
import { isSpeaking, useRoom } from './useRoom';
import { useRoomAnnouncements } from './useRoomAnnouncements';
import type { RoomConnection } from './useRoomConnection';
import './moderation.css';

/** The joined room: stage, audience, the viewer's controls, and the room's audio. */
export function LiveRoom({ session, connection }: { session: RoomSession; connection: RoomConnection }) {
  const view = useRoom(session);
  const { state, me, speaking, media, mutedByModerator } = view;
  const navigate = useNavigate();
  const announce = useAnnounce();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [audioBlocked, setAudioBlocked] = useState(false);
  /** The person the viewer asked to remove, while the confirmation dialog is open. */
  const [removing, setRemoving] = useState<Participant | null>(null);
  /** What the viewer is reporting (a participant, or the room), while the report dialog is open. */
  const [reporting, setReporting] = useState<{ participant: Participant | null } | null>(null);
  const client = useClient();
  useRoomAnnouncements(view);

  // The lobby (and its focused Listen button) is gone: put keyboard focus at the top of the room.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  // Say once, on entering, where the person landed.
  const welcomed = useRef(false);
  useEffect(() => {
    if (welcomed.current || !me) return;
    welcomed.current = true;
    announce(`You joined ${state.room.title} as ${isOnStage(me.role) ? `the ${me.role}` : 'a listener'}.`);
  }, [announce, me, state.room.title]);

  const act = useCallback(
    async (action: (s: RoomSession) => Promise<void>) => {
      setBusy(true);
      try {
        await connection.run(action);
      } finally {
        setBusy(false);
      }
    },
    [connection],
  );

  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);

  /**
   * After a moderation act the control that had focus may be gone (the row moved from the stage to
   * the audience, or the person left). Put focus back on that person's menu, or the page heading.
   */
  const refocus = useCallback((participantId: string) => {
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body && document.body.contains(active)) return;
      const id = CSS.escape(participantId);
      const menu = document.querySelector<HTMLElement>(`[data-moderation-menu="${id}"], [data-safety-menu="${id}"]`);
      (menu ?? heading.current)?.focus();
    });
  }, []);

  const moderate = useCallback(
    (tool: ModerationTool, p: Participant) => {
      if (tool === 'remove') {
        setRemoving(p);
        return;
      }
      if (tool === 'report') {
        setReporting({ participant: p });
        return;
      }
      if (tool === 'block') {
        const username = p.username;
        if (!username) return;
        void act(async () => {
          await client.safety.block(username);
          announce(blockedMessage(p.displayName));
        }).then(() => refocus(p.id));
        return;
      }
      void act(async (s) => {
        switch (tool) {
          case 'mute':
            await s.mute(p.id);
            // Others' mutes are not announced to everyone; the moderator hears that it worked.
            announce(`You muted ${p.displayName}.`);
            break;
          case 'moveToAudience':
            await s.moveToAudience(p.id);
            break;
          case 'promoteModerator':
            await s.setModerator(p.id, true);
            break;
          case 'demoteModerator':
            await s.setModerator(p.id, false);
            break;
        }
      }).then(() => refocus(p.id));
    },
    [act, announce, refocus, client],
  );

  // The person may leave on their own while the viewer is still deciding: the question is then moot.
  const removingGone = removing !== null && !state.participants.some((p) => p.id === removing.id);
  useEffect(() => {
    if (!removingGone) return;
    setRemoving(null);
    requestAnimationFrame(() => heading.current?.focus());
  }, [removingGone]);

  const confirmRemove = (p: Participant) => {
    setRemoving(null);
    void act(async (s) => {
      await s.remove(p.id);
      announce(`${p.displayName} was removed.`);
    }).then(() => refocus(p.id));
  };

  if (!me) return <p className="page muted">Joining…</p>;
  const runsTheStage = runsStage(me);
  const { stage, queue, audience, listenerCount, unlisted } = roomLists(state, runsTheStage);

  const actionsFor = (p: Participant) => {
    const tools = moderationTools(me, p);
    const personal = safetyTools(me, p);
    const invite = mayInvite(me, p);
    if (!invite && tools.length === 0 && personal.length === 0) return undefined;
    return (
      <>
        {invite && <InviteButton participant={p} disabled={busy} onClick={() => void act((s) => s.inviteToSpeak(p.id))} />}
        <ModerationMenu participant={p} tools={tools} disabled={busy} onSelect={moderate} />
        <ModerationMenu participant={p} tools={personal} disabled={busy} onSelect={moderate} safety />
      </>
    );
  };
  const row = (p: Participant) => (
    <ParticipantRow
      key={p.id}
      participant={p}
      isMe={p.id === me.id}
      speaking={isSpeaking(speaking, p.id)}
      actions={actionsFor(p)}
    />
  );

  const onStage = isOnStage(me.role);
  const microphoneOff =
    onStage && !media.publishing && !connection.microphoneStarting && !connection.microphoneProblem;

  return (
    <div className="page room stack-lg">
      <RoomHeading title={state.room.title} headingRef={heading}>
        <p className="muted" role="status">
          {connection.listening === 'connecting' && 'Connecting audio…'}
          {connection.listening === 'on' && `${state.room.participantCount.toLocaleString()} in the room`}
        </p>
      </RoomHeading>

      {connection.actionError && (
        <p className="error" role="alert">
          {connection.actionError}
        </p>
      )}
      {connection.microphoneProblem && (
        <MicrophoneAlert
          problem={connection.microphoneProblem}
          onRetry={isOnStage(me.role) ? () => void connection.speak() : undefined}
        />
      )}
      {connection.listening === 'failed' && (
        <button type="button" className="button" onClick={() => void connection.listenAgain()}>
          Reconnect audio
        </button>
      )}
      {audioBlocked && (
        <button
          type="button"
          className="button primary"
          onClick={() => {
            resumeRemoteAudio();
            setAudioBlocked(false);
          }}
        >
          Turn on sound
        </button>
      )}
      {me.invitedToSpeak && me.role === 'listener' && (
        <InvitePrompt
          busy={busy}
          onAccept={() => {
            setBusy(true);
            void connection.acceptInvite().finally(() => setBusy(false));
          }}
          onDecline={() => void act((s) => s.declineInvite())}
        />
      )}
      {onStage && me.muted && mutedByModerator && (
        <MutedByModeratorNotice busy={busy} onUnmute={() => void act((s) => s.setMuted(false))} />
      )}
      {microphoneOff && (
        <MicrophoneOffNotice busy={busy} canSpeak={user?.kind === 'member'} onStart={() => void connection.speak()} />
      )}

      <section aria-labelledby="stage-heading">
        <h2 id="stage-heading">Stage</h2>
        <ParticipantList empty="Nobody is on stage.">{stage.map(row)}</ParticipantList>
      </section>

      {runsTheStage && (
        <section aria-labelledby="hand-queue-heading" aria-describedby="hand-queue-hint" className="hand-queue">
          <h2 id="hand-queue-heading">
            Hand queue <span className="muted">({queue.length})</span>
          </h2>
          <p id="hand-queue-hint" className="muted">
            Raised hands, oldest first.
          </p>
          <ParticipantList ordered empty="No raised hands.">
            {queue.map(row)}
          </ParticipantList>
        </section>
      )}

      <section aria-labelledby="audience-heading">
        <h2 id="audience-heading">
          Audience <span className="muted">({listenerCount.toLocaleString()})</span>
        </h2>
        {runsTheStage && queue.length > 0 && (
          <p className="muted">
            {queue.length} {queue.length === 1 ? 'listener is' : 'listeners are'} in the hand queue above.
          </p>
        )}
        <ParticipantList empty={listenerCount > 0 ? 'Everyone in the audience has a raised hand.' : 'No listeners yet. Share the link to this page to bring people in.'}>
          {audience.map(row)}
        </ParticipantList>
        {unlisted > 0 && (
          <p className="muted">
            and {unlisted.toLocaleString()} more {unlisted === 1 ? 'listener' : 'listeners'}{' '}
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void act(async (s) => {
                  const added = await s.showMoreAudience();
                  announce(added > 0 ? `${added} more ${added === 1 ? 'listener' : 'listeners'} shown.` : 'No more listeners to show right now.');
                })
              }
            >
              Show more
            </button>
          </p>
        )}
      </section>

      <RoomControls
        me={me}
        busy={busy}
        actions={{
          raiseHand: () => void act((s) => s.raiseHand()),
          lowerHand: () => void act((s) => s.lowerHand()),
          // The page's own mutes are marked as such, so a moderator's mute can be told apart.
          setMuted: (muted) => void act((s) => (muted ? muteOriginOf(s).selfMute(() => s.setMuted(true)) : s.setMuted(false))),
          leaveStage: () => void act((s) => s.moveToAudience(me.id)),
          leave: () => {
            void connection.leave().finally(() => navigate('/'));
          },
          endRoom: () => void act((s) => s.end()),
        }}
      />
      {state.room.type === 'closed' && (runsTheStage || me.admin) && <AccessListPanel roomId={state.room.id} />}
      {(runsTheStage || me.admin) && <RoomAuditPanel roomId={state.room.id} />}
      {!me.guest && me.id !== state.room.hostId && (
        <p>
          <button type="button" className="button link" onClick={() => setReporting({ participant: null })} data-report-room>
            Report this room
          </button>
        </p>
      )}
      {reporting && (
        <ReportDialog
          target={reporting.participant?.username ? { kind: 'user', username: reporting.participant.username } : { kind: 'room', roomId: state.room.id }}
          name={reporting.participant?.displayName ?? 'this room'}
          onClose={() => {
            const participant = reporting.participant;
            setReporting(null);
            if (participant) refocus(participant.id);
            else document.querySelector<HTMLElement>('[data-report-room]')?.focus();
          }}
        />
      )}
      <RemoteAudio streams={connection.remoteStreams} onBlocked={onAudioBlocked} />
      {removing && !removingGone && (
        <RemoveDialog
          participant={removing}
          onConfirm={() => confirmRemove(removing)}
          onCancel={() => {
            setRemoving(null);
            refocus(removing.id);
          }}
        />
      )}
    </div>
  );
}
