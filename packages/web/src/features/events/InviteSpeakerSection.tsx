import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Delegation, Invitation, ScheduledEvent } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { FormError, TextField, useForm, type Form } from '../account/forms';
import { invitationSchema, invitationsOfEvent, inviteeName, invitingFor, type InviteField } from './eventModel';

const emptyInvite: Record<InviteField, string> = { invitee: '', topic: '', expectedAudience: '', recorded: '', message: '' };

/** "Invite a speaker" (the event's hosts): send an invitation, and see those already sent with their status. */
export function InviteSpeakerSection({ event }: { event: ScheduledEvent }) {
  const client = useClient();
  const listId = useId();
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  // A delegate (not a host) invites for the host who granted them invitations.
  const isHost = event.viewer?.host ?? false;
  const [received, setReceived] = useState<Delegation[] | null>(null);
  const actingFor = isHost ? 'self' : received ? invitingFor(event, received) : undefined;

  useEffect(() => {
    if (isHost) return;
    let cancelled = false;
    client.delegations.list().then(
      (grants) => {
        if (!cancelled) setReceived(grants.received);
      },
      (caught: unknown) => {
        if (!cancelled) setListError(describeError(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, isHost]);

  const reload = useCallback(async () => {
    try {
      setInvitations(invitationsOfEvent(await client.invitations.list({ box: 'sent' }), event.id));
      setListError(null);
    } catch (caught) {
      setListError(describeError(caught));
    }
  }, [client, event.id]);

  useEffect(() => {
    void reload();
    // An answer to an invitation arrives as a notification: the statuses change.
    const onNotification = () => void reload();
    client.on('notification', onNotification);
    return () => client.off('notification', onNotification);
  }, [client, reload]);

  const schema = useMemo(() => invitationSchema(event.id), [event.id]);
  const form = useForm(schema, emptyInvite, async (body) => {
    setSent(null);
    const invitation = await client.invitations.create(actingFor && actingFor !== 'self' ? { ...body, onBehalfOf: actingFor.id } : body);
    for (const field of Object.keys(emptyInvite) as InviteField[]) form.set(field, '');
    setSent(`Invitation sent to ${inviteeName(invitation)}`);
    await reload();
  });

  return (
    <section className="card stack" aria-labelledby="invite-speaker-heading">
      <h2 id="invite-speaker-heading">Invite a speaker</h2>
      <p className="muted">Members get a notification; an email address gets an invitation to sign up. They can ask you questions before they answer.</p>
      {actingFor && actingFor !== 'self' && <p className="notice">You invite on behalf of {actingFor.displayName}.</p>}
      {actingFor === null && <p className="notice">To invite speakers here, a host has to make you their delegate for invitations.</p>}
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="invitee" label="Username or email" autoComplete="off" maxLength={254} />
        <TextField form={form} name="topic" label="Topic" autoComplete="off" maxLength={200} hint="What you would like them to talk about." />
        <TextField form={form} name="expectedAudience" label="Expected audience" autoComplete="off" maxLength={200} hint="Who will listen, and about how many (optional)." />
        <RecordedField form={form} />
        <TextField form={form} name="message" label="Message" multiline maxLength={2000} hint="A first message in the invitation's thread (optional)." />
        <button type="submit" className="button primary" disabled={form.busy || actingFor === null || actingFor === undefined}>
          Send invitation
        </button>
      </form>
      <p role="status" className={sent ? 'notice' : undefined}>
        {sent}
      </p>
      <h3 id={listId}>Invited speakers</h3>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {invitations === null ? (
        !listError && <p className="muted">Loading invitations…</p>
      ) : invitations.length === 0 ? (
        <p className="muted">Nobody invited yet.</p>
      ) : null}
      {invitations && invitations.length > 0 && (
        <ul className="token-list" aria-labelledby={listId}>
          {invitations.map((invitation) => (
          <li key={invitation.id}>
            <Link to={`/invitations/${invitation.id}`} className="grow">
              {inviteeName(invitation)}
              <span className="visually-hidden">:</span> <span className="badge">{invitation.status}</span>
            </Link>
            {invitation.messageCount > 0 && (
              <span className="muted small">
                {invitation.messageCount} {invitation.messageCount === 1 ? 'message' : 'messages'}
              </span>
            )}
          </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Recorded": a checkbox kept as "true" / "" in the form's strings. */
function RecordedField({ form }: { form: Form<InviteField> }) {
  const id = useId();
  return (
    <div className="checkbox field">
      <input id={id} type="checkbox" name="recorded" checked={form.values.recorded === 'true'} onChange={(e) => form.set('recorded', e.target.checked ? 'true' : '')} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>Recorded</label>
      <p id={`${id}-hint`} className="muted small">
        Tick it if the talk will be recorded: they see it before they accept.
      </p>
    </div>
  );
}
