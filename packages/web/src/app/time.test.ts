import { expect, test } from 'vitest';
import { formatWhen } from './time';

test('formatWhen() shows the time in the given zone with its name', () => {
  const text = formatWhen('2026-05-12T16:00:00.000Z', { locale: 'en-GB', timeZone: 'Europe/Paris' });
  expect(text).toContain('18:00');
  expect(text).toMatch(/CEST|GMT\+2/);
  expect(formatWhen('2026-05-12T16:00:00.000Z', { locale: 'en-US', timeZone: 'UTC' })).toContain('UTC');
  expect(formatWhen('2026-05-01T16:00:00.000Z', { timeZone: 'UTC', locale: 'en-US' })).toBe('Fri, May 1, 2026, 4:00 PM UTC');
  expect(formatWhen('2026-05-01T16:00:00.000Z', { timeZone: 'Europe/Paris', locale: 'en-GB' })).toMatch(/18:00 CEST$/);
  expect(formatWhen('not a date')).toBe('not a date');
});
