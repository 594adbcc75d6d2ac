import { useEffect, useRef } from 'react';

/**
 * Shown to a listener a host or moderator invited to speak. Not modal: the room keeps playing and the
 * rest of the page stays usable. Focus moves to it once, because the person is being asked a question.
 */
export function InvitePrompt({ onAccept, onDecline, busy }: { onAccept(): void; onDecline(): void; busy: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="card invite" role="dialog" aria-modal="false" aria-labelledby="invite-heading" aria-describedby="invite-text">
      <h2 id="invite-heading" tabIndex={-1} ref={heading}>
        You’re invited to speak
      </h2>
      <p id="invite-text">You were asked onto the stage. Accept to open your microphone for the room.</p>
      <div className="button-row">
        <button type="button" className="button primary" onClick={onAccept} disabled={busy}>
          Accept
        </button>
        <button type="button" className="button" onClick={onDecline} disabled={busy}>
          Decline
        </button>
      </div>
    </section>
  );
}
