import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ScheduledEvent, SpeakerLink } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { FormError, TextField, useForm } from '../account/forms';
import { speakerLinkSchema, speakerLinkState } from './eventModel';

/**
 * "Guest speaker links" (the event's hosts): a one-time link that puts a named guest without an
 * account on stage. The URL carries a secret and is shown once, right after it is made.
 */
export function SpeakerLinksSection({ event }: { event: ScheduledEvent }) {
  const client = useClient();
  const announce = useAnnounce();
  const createdId = useId();
  const listId = useId();
  const [links, setLinks] = useState<SpeakerLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; guestName: string; url: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setLinks(await client.speakerLinks.list({ eventId: event.id }));
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client, event.id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const schema = useMemo(() => speakerLinkSchema(event.id), [event.id]);
  const form = useForm(schema, { guestName: '' }, async (body) => {
    setCopied(null);
    const reply = await client.speakerLinks.create(body);
    setCreated({ id: reply.link.id, guestName: reply.link.guestName, url: reply.url });
    form.set('guestName', '');
    await reload();
  });

  async function copyCreated() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied('Guest link copied.');
    } catch {
      const input = document.getElementById(createdId);
      if (input instanceof HTMLInputElement) input.select();
      setCopied('Could not copy by itself: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }

  async function revoke(link: SpeakerLink) {
    setError(null);
    try {
      await client.speakerLinks.revoke(link.id);
      if (created?.id === link.id) setCreated(null);
      announce(`The link for ${link.guestName} no longer works.`);
      await reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <section className="card stack" aria-labelledby="speaker-links-heading">
      <h2 id="speaker-links-heading">Guest speaker links</h2>
      <p className="muted">For a guest without an account: the link works once, and puts them on stage in this event&apos;s room under the name you give.</p>
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="guestName" label="Guest name" autoComplete="off" maxLength={40} />
        <button type="submit" className="button primary" disabled={form.busy}>
          Create link
        </button>
      </form>
      {created && (
        <div className="notice stack">
          <label htmlFor={createdId}>Guest link for {created.guestName}</label>
          <p id={`${createdId}-hint`} className="muted small">
            Send it to them now: it is shown only once.
          </p>
          <input id={createdId} type="text" readOnly value={created.url} className="code" aria-describedby={`${createdId}-hint`} onFocus={(e) => e.target.select()} />
          <p>
            <button type="button" className="button small" onClick={() => void copyCreated()}>
              Copy guest link
            </button>
          </p>
          <p role="status" className="muted small">
            {copied}
          </p>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h3 id={listId}>Links made</h3>
      {links === null ? !error && <p className="muted">Loading links…</p> : links.length === 0 && <p className="muted">No guest links yet.</p>}
      {links && links.length > 0 && (
        <ul className="token-list" aria-labelledby={listId}>
          {links.map((link) => (
            <li key={link.id}>
              <span className="grow">
                <strong>{link.guestName}</strong>
                <br />
                <span className="muted small">{speakerLinkState(link)}</span>
              </span>
              {link.status === 'open' && (
                <button type="button" className="button small danger" onClick={() => void revoke(link)} aria-label={`Revoke link for ${link.guestName}`}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
