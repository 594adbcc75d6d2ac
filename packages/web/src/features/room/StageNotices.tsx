/**
 * Notices about the viewer's own microphone on stage. They are not live regions: the room's announcer
 * already says what happened ("A moderator muted you."); these stay on screen with the way out.
 */

/** Shown to a speaker a moderator muted: what happened, and the button to unmute (as on Clubhouse). */
export function MutedByModeratorNotice({ busy, onUnmute }: { busy: boolean; onUnmute(): void }) {
  return (
    <section className="card notice" aria-labelledby="muted-notice-heading">
      <h2 id="muted-notice-heading">Muted by a moderator</h2>
      <p>Nobody hears you now. You can unmute yourself when you are ready to speak.</p>
      <button type="button" className="button primary" onClick={onUnmute} disabled={busy}>
        <span aria-hidden="true">🎙️ </span>Unmute
      </button>
    </section>
  );
}

/**
 * Shown to someone on stage whose microphone is not open: a listener the host made a moderator is put
 * on stage, but the page never opens a microphone without the person's own click. Speaking needs an
 * account, so a guest is told that instead of being offered a button that would be refused.
 */
export function MicrophoneOffNotice({ busy, canSpeak, onStart }: { busy: boolean; canSpeak: boolean; onStart(): void }) {
  return (
    <section className="card notice" aria-labelledby="mic-off-heading">
      <h2 id="mic-off-heading">Your microphone is off</h2>
      {canSpeak ? (
        <>
          <p>You are on stage. Turn on your microphone when you want to speak.</p>
          <button type="button" className="button primary" onClick={onStart} disabled={busy}>
            <span aria-hidden="true">🎙️ </span>Turn on microphone
          </button>
        </>
      ) : (
        <p>You are on stage, and can run it, but guests cannot speak. Sign in with an account to use your microphone.</p>
      )}
    </section>
  );
}
