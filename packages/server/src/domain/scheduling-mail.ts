import type { MailMessage } from './ports';

/**
 * The emails of invitations and notifications, plain text like the account mails: every link on a
 * line of its own, nothing that needs HTML or images.
 */

/** A moment as people read it in a time zone: "Friday 1 May 2026, 18:00 (Europe/Paris)". */
export function formatInstant(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(at);
  return `${text} (${timeZone})`;
}

/** One notification by email, with where to switch such mails off. */
export function notificationMail(to: string, displayName: string, text: string, link: string, settingsLink: string): MailMessage {
  return {
    to,
    subject: text.length > 120 ? `${text.slice(0, 117)}…` : text,
    text: [
      `Hello ${displayName},`,
      '',
      text,
      '',
      link,
      '',
      'You get this email because of your notification settings on Parley. To change them, open:',
      '',
      settingsLink,
    ].join('\n'),
  };
}

/** What an emailed invitation says about the talk. */
export interface InvitationMailTerms {
  inviterName: string;
  inviterUsername: string;
  /** "to speak at “Title”" or "to join them on stage in “Title”, live now". */
  what: string;
  topic: string;
  when: string;
  expectedAudience: string;
  recorded: boolean;
  message: string | null;
}

/**
 * An invitation to speak for someone without an account: the link signs them up with an invite code
 * (their account counts as the inviter's referral) and then shows the invitation.
 */
export function invitationSignUpMail(to: string, terms: InvitationMailTerms, link: string, code: string): MailMessage {
  return {
    to,
    subject: `${terms.inviterName} invites you to speak on Parley`,
    text: [
      'Hello,',
      '',
      `${terms.inviterName} (@${terms.inviterUsername}) invites you ${terms.what} on Parley, a place for live audio conversations.`,
      '',
      `Topic: ${terms.topic}`,
      `When: ${terms.when}`,
      `Expected audience: ${terms.expectedAudience || 'not stated'}`,
      `Recorded: ${terms.recorded ? 'yes' : 'no'}`,
      ...(terms.message ? ['', `${terms.inviterName} writes: ${terms.message}`] : []),
      '',
      'To ask questions, accept or decline, create your account here (the invitation waits for you there):',
      '',
      link,
      '',
      `Or sign up and enter the invite code ${code}. The code works for one account.`,
    ].join('\n'),
  };
}
