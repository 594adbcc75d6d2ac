import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ReportReason, reportReasonLabels, type ReportTarget } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import '../room/moderation.css';
import './safety.css';

/**
 * Report a person or a room to the server's admins: a reason (required) and, optionally, what
 * happened. A native modal `<dialog>` (focus stays inside, Escape cancels, focus returns to the
 * opener). After sending, it says what happens next and offers only "Close".
 */
export function ReportDialog({ target, name, onClose }: { target: ReportTarget; name: string; onClose(): void }) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const done = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [details, setDetails] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    first.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);

  useEffect(() => {
    if (sent) done.current?.focus();
  }, [sent]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason) {
      setError('Choose a reason.');
      first.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await client.safety.report({ target, reason, details });
      setSent(true);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      className="dialog card report-dialog"
      aria-labelledby={`${id}-heading`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-heading`}>Report {name}</h2>
      {sent ? (
        <>
          <p role="status">Thank you. The admins of this server will review your report.</p>
          <div className="button-row">
            <button type="button" className="button primary" ref={done} onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="stack" aria-describedby={error ? `${id}-error` : undefined}>
            <legend>What is wrong?</legend>
            {ReportReason.options.map((option, index) => (
              <label key={option} className="choice">
                <input
                  ref={index === 0 ? first : undefined}
                  type="radio"
                  name={`${id}-reason`}
                  value={option}
                  checked={reason === option}
                  onChange={() => setReason(option)}
                  required
                />
                {reportReasonLabels[option]}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-details`}>What happened? (optional)</label>
          <textarea id={`${id}-details`} rows={4} maxLength={1000} value={details} onChange={(e) => setDetails(e.target.value)} />
          {error && (
            <p id={`${id}-error`} className="error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button danger" disabled={busy}>
              Send report
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
