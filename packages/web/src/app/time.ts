const whenOptions: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** In the viewer's own time zone and locale. */
const viewerFormat = new Intl.DateTimeFormat(undefined, whenOptions);

/**
 * A UTC instant as the viewer reads it: in their browser's time zone (or `timeZone`, for tests), always
 * with the zone's name so nobody has to guess ("Fri, May 1, 2026, 6:00 PM GMT+2"). `dateStyle` and
 * `timeStyle` cannot be combined with `timeZoneName`, hence the explicit fields. Not a date: as given.
 */
export function formatWhen(iso: string, { timeZone, locale }: { timeZone?: string; locale?: string } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (timeZone === undefined && locale === undefined) return viewerFormat.format(date);
  return new Intl.DateTimeFormat(locale, { ...whenOptions, timeZone }).format(date);
}
