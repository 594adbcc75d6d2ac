import type { MailMessage } from './ports';

/**
 * The server's emails, as plain text: every link is on a line of its own so that any mail client
 * makes it clickable, and nothing in them depends on images or HTML.
 */

/** "Confirm your email address": the link verifies the address the account had when it was sent. */
export function verificationMail(to: string, displayName: string, link: string, hours: number): MailMessage {
  return {
    to,
    subject: 'Confirm your email address for Parley',
    text: [
      `Hello ${displayName},`,
      '',
      'Please confirm that this is your email address by opening this link:',
      '',
      link,
      '',
      `The link works once and expires in ${hours} hours. If you did not sign up for Parley, ignore this message.`,
    ].join('\n'),
  };
}

/** "Reset your password". */
export function passwordResetMail(to: string, displayName: string, link: string, minutes: number): MailMessage {
  return {
    to,
    subject: 'Reset your Parley password',
    text: [
      `Hello ${displayName},`,
      '',
      'Someone (hopefully you) asked to reset the password of your Parley account. To choose a new one, open:',
      '',
      link,
      '',
      `The link works once and expires in ${minutes} minutes. If you did not ask for this, ignore this message: your password stays as it is.`,
    ].join('\n'),
  };
}

/** "<inviter> invited you to Parley", with the sign-up link that carries the code. */
export function inviteMail(to: string, inviterName: string, inviterUsername: string, code: string, link: string): MailMessage {
  return {
    to,
    subject: `${inviterName} invited you to Parley`,
    text: [
      'Hello,',
      '',
      `${inviterName} (@${inviterUsername}) invited you to join them on Parley, a place for live audio conversations.`,
      'To create your account, open:',
      '',
      link,
      '',
      `Or sign up and enter the invite code ${code}. The code works for one account.`,
    ].join('\n'),
  };
}
