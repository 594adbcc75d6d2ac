/** The fields of each style; all name the zone. */
const styles = {
  /** "Friday, May 1, 2026, 6:00 PM GMT+2": an event's own page. */
  long: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  /** "Fri, May 1, 2026, 6:00 PM GMT+2": the default. */
  medium: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' },
  /** "May 1, 6:00 PM GMT+2": lists. */
  short: { month: 'short', day: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** How {@link formatWhen} writes a moment. */
export interface WhenOptions {
  style?: keyof typeof styles;
  /** For tests: otherwise the viewer's own. */
  timeZone?: string;
  locale?: string;
}

function optionsOf(style: keyof typeof styles, timeZone: string | undefined): Intl.DateTimeFormatOptions {
  return { ...styles[style], hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone };
}

/** In the viewer's own time zone and locale, made once per style. */
const viewerFormats = new Map<keyof typeof styles, Intl.DateTimeFormat>();

/**
 * A UTC instant as the viewer reads it: in their browser's time zone (or `timeZone`, for tests), always
 * with the zone's name so nobody has to guess ("Fri, May 1, 2026, 6:00 PM GMT+2"). `dateStyle` and
 * `timeStyle` cannot be combined with `timeZoneName`, hence the explicit fields. Not a date: as given.
 */
export function formatWhen(iso: string, { style = 'medium', timeZone, locale }: WhenOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (timeZone === undefined && locale === undefined) {
    let format = viewerFormats.get(style);
    if (!format) {
      format = new Intl.DateTimeFormat(undefined, optionsOf(style, undefined));
      viewerFormats.set(style, format);
    }
    return format.format(date);
  }
  return new Intl.DateTimeFormat(locale, optionsOf(style, timeZone)).format(date);
}
