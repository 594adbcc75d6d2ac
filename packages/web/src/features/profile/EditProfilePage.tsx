import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { avatarMaxBytes, avatarUploadTypes, UpdateProfileBody, type AccountInfo, type Profile } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { AccountCard, describeAccountError, FormError, TextField, useForm } from '../account/forms';
import { RequireAccount } from '../account/RequireAccount';
import { useSession } from '../session/SessionProvider';
import { PersonAvatar } from './PersonAvatar';

/** `/settings/profile`: change display name, username, bio and avatar. */
export function EditProfilePage() {
  useEffect(() => {
    document.title = 'Edit profile · Parley';
  }, []);
  return <RequireAccount title="Edit profile">{(account) => <LoadedEditor account={account} />}</RequireAccount>;
}

function LoadedEditor({ account }: { account: AccountInfo }) {
  const client = useClient();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.profiles.own().then(setProfile, (caught: unknown) => setError(describeAccountError(caught)));
  }, [client, account.username]);
  if (!profile) {
    return (
      <AccountCard title="Edit profile">
        {error ? <p role="alert">{error}</p> : <p className="muted">Loading…</p>}
      </AccountCard>
    );
  }
  return <Editor profile={profile} onAvatar={setProfile} />;
}

function Editor({ profile, onAvatar }: { profile: Profile; onAvatar: (profile: Profile) => void }) {
  const client = useClient();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const form = useForm(UpdateProfileBody, { displayName: profile.displayName, username: profile.username, bio: profile.bio }, async (body) => {
    const updated = await client.profiles.update(body);
    await refresh();
    announce('Profile saved.');
    navigate(`/people/${encodeURIComponent(updated.username)}`);
  });

  return (
    <AccountCard title="Edit profile">
      <AvatarEditor profile={profile} onChange={onAvatar} />
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="displayName" label="Display name" autoComplete="name" maxLength={40} />
        <TextField form={form} name="username" label="Username" autoComplete="username" maxLength={24} hint="3–24 letters, digits or _, starting with a letter." />
        <TextField form={form} name="bio" label="Bio" multiline hint="Up to 300 characters." />
        <p className="button-row">
          <button type="submit" className="button primary" disabled={form.busy}>
            Save profile
          </button>
          <Link to={`/people/${encodeURIComponent(profile.username)}`}>Cancel</Link>
        </p>
      </form>
    </AccountCard>
  );
}

/** Upload or remove the avatar; the server re-encodes what it receives. */
function AvatarEditor({ profile, onChange }: { profile: Profile; onChange: (profile: Profile) => void }) {
  const client = useClient();
  const announce = useAnnounce();
  const inputId = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<Profile>, done: string) {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
      announce(done);
    } catch (caught) {
      setError(describeAccountError(caught));
    } finally {
      setBusy(false);
    }
  }

  function picked(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!(avatarUploadTypes as readonly string[]).includes(file.type)) {
      setError('Pick a PNG, JPEG, WebP or GIF image.');
      return;
    }
    if (file.size > avatarMaxBytes) {
      setError('This image is larger than 2 MB. Pick a smaller one.');
      return;
    }
    void run(() => client.profiles.setAvatar(file), 'Avatar updated.');
  }

  return (
    <div className="stack">
      <div className="profile-head">
        <PersonAvatar person={profile} large />
        <div className="stack">
          <label htmlFor={inputId}>Avatar</label>
          <p id={`${inputId}-hint`} className="muted small">
            PNG, JPEG, WebP or GIF, up to 2 MB. It is cropped to a square.
          </p>
          <input id={inputId} type="file" accept={avatarUploadTypes.join(',')} onChange={picked} disabled={busy} aria-describedby={`${inputId}-hint`} />
          {profile.avatarUrl && (
            <button type="button" className="button small" onClick={() => void run(() => client.profiles.removeAvatar(), 'Avatar removed.')} disabled={busy}>
              Remove avatar
            </button>
          )}
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
