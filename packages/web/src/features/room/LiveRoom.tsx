import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RoomSession } from '@parley/client';
import type { Participant, Role } from '@parley/protocol';
import { handQueue, isOnStage } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { InvitePrompt } from './InvitePrompt';
import { MicrophoneAlert } from './MicrophoneAlert';
import { ParticipantAction, ParticipantList, ParticipantRow } from './ParticipantList';
import { RoomHeading } from './RoomHeading';
import { RemoteAudio, resumeRemoteAudio } from './RemoteAudio';
import { RoomControls } from './RoomControls';
import { isSpeaking, useRoom } from './useRoom';
import { useRoomAnnouncements } from './useRoomAnnouncements';
import type { RoomConnection } from './useRoomConnection';

const stageOrder: Record<Role, number> = { host: 0, moderator: 1, speaker: 2, listener: 3 };

/** The joined room: stage, audience, the viewer's controls, and the room's audio. */
export function LiveRoom({ session, connection }: { session: RoomSession; connection: RoomConnection }) {
  const view = useRoom(session);
  const { state, me, speaking } = view;
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [audioBlocked, setAudioBlocked] = useState(false);
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

  if (!me) return <p className="page muted">Joining…</p>;
  const canManageStage = me.role === 'host' || me.role === 'moderator';
  const stage = state.participants
    .filter((p) => isOnStage(p.role))
    .sort((a, b) => stageOrder[a.role] - stageOrder[b.role] || a.joinedAt.localeCompare(b.joinedAt));
  const queue = handQueue(state).filter((p) => p.role === 'listener');
  const audience = [
    ...queue,
    ...state.participants
      .filter((p) => p.role === 'listener' && !p.handRaisedAt)
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt)),
  ];

  const stageActions = (p: Participant) =>
    canManageStage && p.id !== me.id && p.role === 'speaker' ? (
      <ParticipantAction participant={p} disabled={busy} onClick={() => void act((s) => s.moveToAudience(p.id))}>
        Move to audience
      </ParticipantAction>
    ) : undefined;

  const audienceActions = (p: Participant) =>
    canManageStage && !p.invitedToSpeak ? (
      <ParticipantAction participant={p} primary disabled={busy} onClick={() => void act((s) => s.inviteToSpeak(p.id))}>
        Invite to speak
      </ParticipantAction>
    ) : undefined;

  return (
    <div className="page room stack-lg">
      <RoomHeading title={state.room.title} headingRef={heading}>
        <p className="muted" role="status">
          {connection.listening === 'connecting' && 'Connecting audio…'}
          {connection.listening === 'on' && `${state.participants.length} in the room`}
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

      <section aria-labelledby="stage-heading">
        <h2 id="stage-heading">Stage</h2>
        <ParticipantList empty="Nobody is on stage.">
          {stage.map((p) => (
            <ParticipantRow
              key={p.id}
              participant={p}
              isMe={p.id === me.id}
              speaking={isSpeaking(speaking, p.id)}
              actions={stageActions(p)}
            />
          ))}
        </ParticipantList>
      </section>

      <section aria-labelledby="audience-heading">
        <h2 id="audience-heading">
          Audience <span className="muted">({audience.length})</span>
        </h2>
        {canManageStage && queue.length > 0 && (
          <p className="muted">
            {queue.length} raised {queue.length === 1 ? 'hand' : 'hands'}, first asked first.
          </p>
        )}
        <ParticipantList empty="No listeners yet. Share the link to this page to bring people in.">
          {audience.map((p) => (
            <ParticipantRow
              key={p.id}
              participant={p}
              isMe={p.id === me.id}
              speaking={false}
              actions={audienceActions(p)}
            />
          ))}
        </ParticipantList>
      </section>

      <RoomControls
        me={me}
        busy={busy}
        actions={{
          raiseHand: () => void act((s) => s.raiseHand()),
          lowerHand: () => void act((s) => s.lowerHand()),
          setMuted: (muted) => void act((s) => s.setMuted(muted)),
          leaveStage: () => void act((s) => s.moveToAudience(me.id)),
          leave: () => {
            void connection.leave().finally(() => navigate('/'));
          },
          endRoom: () => void act((s) => s.end()),
        }}
      />
      <RemoteAudio streams={connection.remoteStreams} onBlocked={onAudioBlocked} />
    </div>
  );
}
