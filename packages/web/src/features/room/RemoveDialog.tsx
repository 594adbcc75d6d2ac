import { useEffect, useRef } from 'react';
import type { Participant } from '@parley/protocol';

/**
 * Asks before removing someone: removal is final for this room (they cannot rejoin). A native modal
 * `<dialog>`: the browser traps focus in it, makes the rest of the page inert, closes it on Escape and
 * gives focus back to the control that opened it. Focus starts on "Cancel", the harmless choice.
 */
export function RemoveDialog({
  participant,
  onConfirm,
  onCancel,
}: {
  participant: Participant;
  onConfirm(): void;
  onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);

  const name = participant.displayName;
  return (
    <dialog
      ref={dialog}
      className="dialog card"
      aria-labelledby="remove-dialog-heading"
      aria-describedby="remove-dialog-text"
      // Escape: the browser closes the dialog; tell the page it was cancelled.
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="remove-dialog-heading">Remove {name} from the room?</h2>
      <p id="remove-dialog-text">
        {name} will be sent out of the room at once and cannot join it again. To only quiet them, mute them or move
        them to the audience instead.
      </p>
      <div className="button-row">
        <button type="button" className="button danger" onClick={onConfirm}>
          Remove {name}
        </button>
        <button type="button" className="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
