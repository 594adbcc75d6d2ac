import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { reportReasonLabels, type AuditEntry, type Report, type Suspension } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { AuditList } from '../safety/AuditList';
import { useSession } from '../session/SessionProvider';
import '../safety/safety.css';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * `/admin`: the server's moderation desk, for admins. The queue of open reports (oldest first) with
 * "Dismiss" and "Suspend" on each, the suspended accounts with "Unsuspend", a form to suspend someone
 * directly, and the whole audit log.
 */
export function AdminPage() {
  const { status, account } = useSession();
  useEffect(() => {
    document.title = 'Moderation · Parley';
  }, []);
  if (status === 'loading') return <p className="page muted">Loading…</p>;
  if (account?.role !== 'admin') {
    return (
      <section className="page card" aria-labelledby="admin-heading">
        <h1 id="admin-heading">Moderation</h1>
        <p role="alert">Only the admins of this server can see this page.</p>
        <p>
          <Link to="/">Back to the hallway</Link>
        </p>
      </section>
    );
  }
  return <AdminDesk />;
}

function AdminDesk() {
  const client = useClient();
  const announce = useAnnounce();
  const [reports, setReports] = useState<Report[] | null>(null);
  const [suspensions, setSuspensions] = useState<Suspension[] | null>(null);
  const [audit, setAudit] = useState<{ entries: AuditEntry[]; nextCursor: string | null } | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [open, suspended, log] = await Promise.all([client.admin.reports('open'), client.admin.suspensions(), client.admin.audit({ limit: 50 })]);
      setReports(open);
      setSuspensions(suspended);
      setAudit(log);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = useCallback(
    async (action: () => Promise<string>) => {
      setBusy(true);
      setError(null);
      try {
        announce(await action());
        await load();
      } catch (caught) {
        setError(describeError(caught));
      } finally {
        setBusy(false);
      }
    },
    [announce, load],
  );

  const decide = (report: Report, decision: 'dismiss' | 'suspend') =>
    run(async () => {
      await client.admin.resolve(report.id, decision, notes[report.id] ?? '');
      return decision === 'dismiss' ? `The report about ${report.subject.displayName} was dismissed.` : `${report.subject.displayName} is suspended.`;
    });

  async function loadMore() {
    if (!audit?.nextCursor) return;
    try {
      const next = await client.admin.audit({ cursor: audit.nextCursor, limit: 50 });
      setAudit({ entries: [...audit.entries, ...next.entries], nextCursor: next.nextCursor });
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <div className="page stack-lg">
      <h1>Moderation</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <section aria-labelledby="reports-heading" className="card stack">
        <h2 id="reports-heading">
          Reports <span className="muted">({reports?.length ?? 0} open)</span>
        </h2>
        {reports === null ? (
          <p className="muted">Loading…</p>
        ) : reports.length === 0 ? (
          <p className="muted">No open reports.</p>
        ) : (
          <ol className="report-list">
            {reports.map((report) => (
              <li key={report.id} className="stack" aria-labelledby={`report-${report.id}`}>
                <h3 id={`report-${report.id}`}>
                  {report.room ? `Room “${report.room.title}” hosted by ${report.subject.displayName}` : report.subject.displayName}
                  {' — '}
                  {reportReasonLabels[report.reason]}
                </h3>
                <p className="muted">
                  Reported by <Link to={`/people/${encodeURIComponent(report.reporter.username)}`}>{report.reporter.displayName}</Link> on{' '}
                  {timeFormat.format(new Date(report.createdAt))}
                  {' · '}
                  <Link to={`/people/${encodeURIComponent(report.subject.username)}`}>Profile of {report.subject.displayName}</Link>
                  {report.subjectSuspended && ' · already suspended'}
                </p>
                {report.details && <blockquote>{report.details}</blockquote>}
                <label htmlFor={`note-${report.id}`}>Note for the log (optional)</label>
                <input id={`note-${report.id}`} value={notes[report.id] ?? ''} onChange={(e) => setNotes({ ...notes, [report.id]: e.target.value })} maxLength={500} />
                <div className="button-row">
                  <button type="button" className="button" disabled={busy} onClick={() => void decide(report, 'dismiss')}>
                    Dismiss report about {report.subject.displayName}
                  </button>
                  <button type="button" className="button danger" disabled={busy} onClick={() => void decide(report, 'suspend')}>
                    Suspend {report.subject.displayName}
                  </button>
                  {report.room?.status === 'live' && (
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      onClick={() =>
                        void run(async () => {
                          await client.admin.endRoom(report.room!.id, notes[report.id] ?? '');
                          return `The room “${report.room!.title}” has ended.`;
                        })
                      }
                    >
                      End the room “{report.room.title}”
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="suspensions-heading" className="card stack">
        <h2 id="suspensions-heading">Suspended accounts</h2>
        <SuspendForm busy={busy} onSuspend={(username, reason) => run(async () => `${(await client.admin.suspend(username, reason)).person.displayName} is suspended.`)} />
        {suspensions === null ? (
          <p className="muted">Loading…</p>
        ) : suspensions.length === 0 ? (
          <p className="muted">Nobody is suspended.</p>
        ) : (
          <ul className="access-list">
            {suspensions.map((suspension) => (
              <li key={suspension.person.id}>
                <span>
                  {suspension.person.displayName} <span className="muted">@{suspension.person.username}</span> — “{suspension.reason}”
                  <span className="muted">
                    {' '}
                    since {timeFormat.format(new Date(suspension.at))}
                    {suspension.by && `, by ${suspension.by.displayName}`}
                  </span>
                </span>
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await client.admin.unsuspend(suspension.person.username);
                      return `${suspension.person.displayName} may sign in again.`;
                    })
                  }
                >
                  Unsuspend {suspension.person.displayName}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="audit-heading" className="card stack">
        <h2 id="audit-heading">Audit log</h2>
        <p className="muted">Every moderation act on this server, newest first.</p>
        {audit === null ? <p className="muted">Loading…</p> : <AuditList entries={audit.entries} showRoom />}
        {audit?.nextCursor && (
          <button type="button" className="button" onClick={() => void loadMore()}>
            Show older acts
          </button>
        )}
      </section>
    </div>
  );
}

/** Suspend an account by username, with a reason (recorded in the audit log). */
function SuspendForm({ busy, onSuspend }: { busy: boolean; onSuspend(username: string, reason: string): Promise<void> }) {
  const [username, setUsername] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name || !reason.trim()) {
      setProblem('Enter a username and say why.');
      return;
    }
    setProblem(null);
    await onSuspend(name, reason.trim());
    setUsername('');
    setReason('');
  }

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-legend`}>
      <span id={`${id}-legend`} className="visually-hidden">
        Suspend an account
      </span>
      <div className="stack">
        <label htmlFor={`${id}-username`}>Username</label>
        <input id={`${id}-username`} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
      </div>
      <div className="stack">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </div>
      <button type="submit" className="button danger" disabled={busy}>
        Suspend account
      </button>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
