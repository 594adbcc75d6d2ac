/**
 * iCalendar (RFC 5545) files of scheduled events: one event's `.ics`, and a person's feed. Times go
 * out in UTC (`…Z`), which every calendar shows in its owner's own zone; the event's zone is named in
 * the description for reference.
 */

/** One event in a calendar file. */
export interface CalendarEntry {
  /** Stable across updates, unique per event. */
  uid: string;
  title: string;
  description: string;
  startsAt: Date;
  durationMinutes: number;
  /** The event page. */
  url: string;
  cancelled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The `.ics` text (CRLF line ends, lines folded at 75 octets). */
export function renderCalendar(name: string, entries: readonly CalendarEntry[], now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Parley//Parley events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    ...entries.flatMap((entry) => [
      'BEGIN:VEVENT',
      `UID:${entry.uid}`,
      `DTSTAMP:${utc(now)}`,
      `DTSTART:${utc(entry.startsAt)}`,
      `DURATION:PT${entry.durationMinutes}M`,
      `SUMMARY:${escapeText(entry.title)}`,
      `DESCRIPTION:${escapeText(entry.description ? `${entry.description}\n\n${entry.url}` : entry.url)}`,
      `URL:${entry.url}`,
      `STATUS:${entry.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      // Calendars take an update only when the sequence grows: seconds since creation always do.
      `SEQUENCE:${Math.max(0, Math.floor((entry.updatedAt.getTime() - entry.createdAt.getTime()) / 1000))}`,
      `CREATED:${utc(entry.createdAt)}`,
      `LAST-MODIFIED:${utc(entry.updatedAt)}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** `20260501T160000Z`. */
function utc(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT values escape backslashes, semicolons, commas and line breaks. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Fold a content line at 75 octets, never inside a UTF-8 character; continuation lines start with a space. */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; continuations 74 after their leading space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
