import { describe, expect, test } from 'vitest';
import type { Participant, Role } from '@parley/protocol';
import { safetyTools, toolLabel } from './permissions';

function person(id: string, role: Role, patch: Partial<Participant> = {}): Participant {
  return { id, displayName: id, role, handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: '2026-01-01T10:00:00.000Z', username: id, ...patch };
}

describe('safetyTools()', () => {
  test('a member may report and block any other member, whatever either’s role', () => {
    expect(safetyTools(person('lis-00001', 'listener'), person('host-0001', 'host'))).toEqual(['report', 'block']);
    expect(safetyTools(person('host-0001', 'host'), person('lis-00001', 'listener'))).toEqual(['report', 'block']);
  });

  test('not oneself, not a guest (no profile), and not as a guest', () => {
    const me = person('lis-00001', 'listener');
    expect(safetyTools(me, me)).toEqual([]);
    expect(safetyTools(me, person('gst-00001', 'listener', { guest: true, username: undefined }))).toEqual([]);
    expect(safetyTools(person('gst-00001', 'listener', { guest: true, username: undefined }), me)).toEqual([]);
  });

  test('the menu items name the person', () => {
    expect(toolLabel('report', 'Ben')).toBe('Report Ben');
    expect(toolLabel('block', 'Ben')).toBe('Block Ben');
  });
});
