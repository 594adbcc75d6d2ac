import { useState } from 'react';
import type { Participant } from '@parley/protocol';
import { isOnStage } from '@parley/protocol';
import { mayDo } from './permissions';

/** The actions a participant's own controls can trigger. */
export interface RoomControlActions {
  raiseHand(): void;
  lowerHand(): void;
  setMuted(muted: boolean): void;
  leaveStage(): void;
  leave(): void;
  endRoom(): void;
}

/**
 * The viewer's own controls, in a bar that sits at the bottom of small screens. The mute button keeps
 * one name and reports its state through aria-pressed (a toggle whose name flips reads ambiguously).
 */
export function RoomControls({ me, busy, actions }: { me: Participant; busy: boolean; actions: RoomControlActions }) {
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const onStage = isOnStage(me.role);
  const mayEnd = mayDo(me, 'endRoom');
  return (
    <section className="controls" aria-labelledby="controls-heading">
      <h2 id="controls-heading" className="visually-hidden">
        Your controls
      </h2>
      <div className="button-row">
        {!onStage &&
          (me.handRaisedAt ? (
            <button type="button" className="button" onClick={actions.lowerHand} disabled={busy}>
              <span aria-hidden="true">✋ </span>Lower hand
            </button>
          ) : (
            <button type="button" className="button primary" onClick={actions.raiseHand} disabled={busy}>
              <span aria-hidden="true">✋ </span>Raise hand
            </button>
          ))}
        {onStage && (
          <button
            type="button"
            className="button toggle"
            aria-pressed={me.muted}
            onClick={() => actions.setMuted(!me.muted)}
            disabled={busy}
          >
            <span aria-hidden="true">{me.muted ? '🔇 ' : '🎙️ '}</span>Mute
          </button>
        )}
        {mayDo(me, 'stepDown') && (
          <button type="button" className="button" onClick={actions.leaveStage} disabled={busy}>
            Leave stage
          </button>
        )}
        <button type="button" className="button" onClick={actions.leave}>
          Leave
        </button>
        {mayEnd && !confirmingEnd && (
          <button type="button" className="button danger" onClick={() => setConfirmingEnd(true)}>
            End room
          </button>
        )}
      </div>
      {mayEnd && confirmingEnd && (
        <div className="confirm" role="group" aria-labelledby="end-room-question">
          <p id="end-room-question">End the room for everyone? This cannot be undone.</p>
          <div className="button-row">
            <button type="button" className="button danger" onClick={actions.endRoom}>
              End room for everyone
            </button>
            <button type="button" className="button" onClick={() => setConfirmingEnd(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
