/**
 * The in-process SMTP sink of the server's integration tests (smtp-server + mailparser), reused here:
 * an E2E server started with `SMTP_URL` pointing at it really sends its mail there.
 */
export { linkIn, MailSink, type ReceivedMail } from '../../packages/server/test/mail-sink';
