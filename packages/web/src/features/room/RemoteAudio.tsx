import { useEffect, useRef } from 'react';
import type { RemoteAudioStream } from './useRoomConnection';

/**
 * Plays the room: one `<audio autoplay>` per remote slot. Chrome only plays a remote WebRTC track
 * once it is attached to a media element, so these elements are what makes the room audible.
 */
export function RemoteAudio({
  streams,
  onBlocked,
}: {
  streams: readonly RemoteAudioStream[];
  /** Called when the browser refused to start playback without a fresh click. */
  onBlocked(): void;
}) {
  return (
    <div className="remote-audio" data-testid="remote-audio">
      {streams.map((s) => (
        <SlotAudio key={s.id} stream={s.stream} trackId={s.id} onBlocked={onBlocked} />
      ))}
    </div>
  );
}

function SlotAudio({ stream, trackId, onBlocked }: { stream: MediaStream; trackId: string; onBlocked(): void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = stream;
    element.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') onBlocked();
    });
    return () => {
      element.srcObject = null;
    };
  }, [stream, onBlocked]);
  return <audio ref={ref} autoPlay data-track-id={trackId} />;
}

/** Resume every room audio element; call from a click handler (a fresh user gesture). */
export function resumeRemoteAudio(): void {
  for (const element of document.querySelectorAll<HTMLAudioElement>('.remote-audio audio')) {
    void element.play().catch(() => undefined);
  }
}
