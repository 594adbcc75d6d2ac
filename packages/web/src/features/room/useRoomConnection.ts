import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoomCloseReason, RoomSession } from '@parley/client';
import { BrowserMediaAdapter, MicrophoneError } from '@parley/client/browser';
import { isOnStage, ParleyError } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { audioConstraintsFor, type MicrophoneProblem } from './microphone';

/** Where this tab is with the room. */
export type RoomPhase =
  | { kind: 'lobby' }
  | { kind: 'joining' }
  | { kind: 'joined'; session: RoomSession }
  | { kind: 'closed'; reason: RoomCloseReason }
  /** Joining failed; `refused` when the server said no (`forbidden`, e.g. removed earlier): retrying will not help. */
  | { kind: 'failed'; message: string; refused: boolean };

/** State of the receive side (the subscribe leg). */
export type ListeningState = 'off' | 'connecting' | 'on' | 'failed';

/** One remote audio slot, ready to attach to an `<audio>` element. */
export interface RemoteAudioStream {
  id: string;
  stream: MediaStream;
}

/** Everything the room page needs to join a room, hear it and speak in it. */
export interface RoomConnection {
  phase: RoomPhase;
  listening: ListeningState;
  remoteStreams: readonly RemoteAudioStream[];
  /** Set when opening the microphone failed; cleared when speaking starts. */
  microphoneProblem: MicrophoneProblem | null;
  /** The microphone is being opened and the publish leg negotiated. */
  microphoneStarting: boolean;
  /** A failed action's message (not microphone problems), for a role="alert". */
  actionError: string | null;
  /** Join, start the subscribe leg, and start speaking when already on stage (the host). */
  join(options: { musicMode: boolean }): Promise<void>;
  /** Start (or retry) the publish leg. A speaker whose microphone fails goes back to the audience. */
  speak(): Promise<void>;
  /** Accept an invitation to speak, then open the microphone. */
  acceptInvite(): Promise<void>;
  /** Retry the subscribe leg after it failed. */
  listenAgain(): Promise<void>;
  /** Run a room action, showing its error if it fails. */
  run(action: (session: RoomSession) => Promise<void>): Promise<void>;
  /** Leave the room (the page navigates away afterwards). */
  leave(): Promise<void>;
  /** Back to the lobby after the room closed for this tab (to join again). */
  reset(): void;
  clearActionError(): void;
}

/**
 * Owns one tab's membership of one room. Joining happens on the person's click ("Listen"), so the
 * browser treats the audio that follows as user-initiated and plays it.
 */
export function useRoomConnection(roomId: string): RoomConnection {
  const client = useClient();
  const [phase, setPhase] = useState<RoomPhase>({ kind: 'lobby' });
  const [listening, setListening] = useState<ListeningState>('off');
  const [remoteStreams, setRemoteStreams] = useState<RemoteAudioStream[]>([]);
  const [microphoneProblem, setMicrophoneProblem] = useState<MicrophoneProblem | null>(null);
  const [microphoneStarting, setMicrophoneStarting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const sessionRef = useRef<RoomSession | null>(null);
  const adapterRef = useRef<BrowserMediaAdapter | null>(null);

  const addRemoteTrack = useCallback((track: MediaStreamTrack) => {
    // One stream per track: slots are separate streams, and a shared stream on several elements
    // would play the same audio several times.
    const entry = { id: track.id, stream: new MediaStream([track]) };
    setRemoteStreams((current) => [...current.filter((s) => s.id !== track.id), entry]);
    track.addEventListener('ended', () => setRemoteStreams((current) => current.filter((s) => s.id !== track.id)));
  }, []);

  const startSpeaking = useCallback(async (session: RoomSession) => {
    setMicrophoneProblem(null);
    setMicrophoneStarting(true);
    try {
      await session.startSpeaking();
    } catch (caught) {
      if (!(caught instanceof MicrophoneError)) {
        setActionError(describeError(caught));
        return;
      }
      setMicrophoneProblem(caught.reason);
      // Without a microphone a speaker has nothing to say: go back to the audience rather than
      // occupy the stage in silence. A host stays host (the room needs one) and can retry.
      const me = session.me;
      if (me && me.role === 'speaker') {
        await session.moveToAudience(me.id).catch((error: unknown) => setActionError(describeError(error)));
      }
    } finally {
      setMicrophoneStarting(false);
    }
  }, []);

  const startListening = useCallback(async (session: RoomSession) => {
    setListening('connecting');
    try {
      await session.startListening();
      setListening('on');
    } catch (caught) {
      setListening('failed');
      setActionError(`Could not connect the room’s audio: ${describeError(caught)}`);
    }
  }, []);

  const join = useCallback(
    async ({ musicMode }: { musicMode: boolean }) => {
      if (sessionRef.current) return;
      setPhase({ kind: 'joining' });
      setActionError(null);
      try {
        const { iceServers } = await client.rtcConfig();
        const adapter = new BrowserMediaAdapter({
          rtcConfig: { iceServers },
          audioConstraints: audioConstraintsFor(musicMode),
          onRemoteTrack: addRemoteTrack,
        });
        adapterRef.current = adapter;
        // Everyone listens: the audio offer is asked for with the join (a round trip less).
        const session = await client.joinRoom(roomId, { media: adapter, listen: true });
        sessionRef.current = session;
        session.on('closed', (reason) => {
          sessionRef.current = null;
          adapter.close();
          if (adapterRef.current === adapter) adapterRef.current = null;
          setRemoteStreams([]);
          setListening('off');
          setPhase({ kind: 'closed', reason });
        });
        session.on('error', (error) => setActionError(describeError(error)));
        const onStage = session.me !== undefined && isOnStage(session.me.role);
        // Set together with the phase, so the page never shows "your microphone is off" to a host
        // whose microphone is about to open.
        if (onStage) setMicrophoneStarting(true);
        setPhase({ kind: 'joined', session });
        await startListening(session);
        if (onStage) await startSpeaking(session);
      } catch (caught) {
        adapterRef.current?.close();
        adapterRef.current = null;
        const refused = caught instanceof ParleyError && caught.code === 'forbidden';
        setPhase({ kind: 'failed', message: describeError(caught), refused });
      }
    },
    [client, roomId, addRemoteTrack, startListening, startSpeaking],
  );

  const withSession = useCallback(async (action: (session: RoomSession) => Promise<void>) => {
    const session = sessionRef.current;
    if (!session) return;
    setActionError(null);
    try {
      await action(session);
    } catch (caught) {
      setActionError(describeError(caught));
    }
  }, []);

  const leave = useCallback(async () => {
    const session = sessionRef.current;
    sessionRef.current = null;
    try {
      await session?.leave();
    } finally {
      adapterRef.current?.close();
      adapterRef.current = null;
    }
  }, []);

  // Leaving the page leaves the room: nobody should stay "in" a room they cannot hear.
  useEffect(
    () => () => {
      void leave().catch(() => undefined);
    },
    [leave],
  );

  return {
    phase,
    listening,
    remoteStreams,
    microphoneProblem,
    microphoneStarting,
    actionError,
    join,
    speak: () => withSession(startSpeaking),
    acceptInvite: () =>
      withSession(async (session) => {
        await session.acceptInvite();
        await startSpeaking(session);
      }),
    listenAgain: () => withSession(startListening),
    run: withSession,
    leave,
    reset: () => {
      if (sessionRef.current) return;
      setActionError(null);
      setMicrophoneProblem(null);
      setPhase({ kind: 'lobby' });
    },
    clearActionError: () => setActionError(null),
  };
}
