import { describe, expect, test } from 'vitest';
import type { Participant, Role } from '@parley/protocol';
import { moderationTools, mayDo, mayDoTo, stageRules, type StageAction } from './permissions';

function person(id: string, role: Role, patch: Partial<Participant> = {}): Participant {
  return { id, displayName: id, role, handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: '2026-01-01T10:00:00.000Z', ...patch };
}

describe('the stage rules as the web app uses them', () => {
  test('nobody acts on the host or on themselves', () => {
    const host = person('host-0001', 'host');
    const moderator = person('mod-00001', 'moderator');
    for (const action of Object.keys(stageRules) as StageAction[]) {
      expect(mayDoTo(moderator, action, host), action).toBe(false);
      expect(mayDoTo(host, action, host), action).toBe(false);
    }
  });

  test('self actions: a moderator may end the room and step down; a listener may only raise a hand', () => {
    const moderator = person('mod-00001', 'moderator');
    const listener = person('lis-00001', 'listener');
    expect(mayDo(moderator, 'endRoom')).toBe(true);
    expect(mayDo(moderator, 'stepDown')).toBe(true);
    expect(mayDo(listener, 'raiseHand')).toBe(true);
    expect(mayDo(listener, 'endRoom')).toBe(false);
    expect(mayDo(listener, 'setMuted')).toBe(false);
  });
});

describe('moderationTools()', () => {
  const host = person('host-0001', 'host');
  const moderator = person('mod-00001', 'moderator');
  const speaker = person('spk-00001', 'speaker');
  const listener = person('lis-00001', 'listener');

  test('the host gets every tool the table gives it, in menu order', () => {
    expect(moderationTools(host, speaker)).toEqual(['mute', 'moveToAudience', 'promoteModerator', 'remove']);
    expect(moderationTools(host, moderator)).toEqual(['mute', 'moveToAudience', 'demoteModerator', 'remove']);
    expect(moderationTools(host, listener)).toEqual(['promoteModerator', 'remove']);
  });

  test('a moderator cannot promote, demote, move or remove another moderator, but may mute one', () => {
    const other = person('mod-00002', 'moderator');
    expect(moderationTools(moderator, other)).toEqual(['mute']);
    expect(moderationTools(moderator, speaker)).toEqual(['mute', 'moveToAudience', 'remove']);
    expect(moderationTools(moderator, listener)).toEqual(['remove']);
  });

  test('a guest listener cannot be made a moderator', () => {
    expect(moderationTools(host, { ...listener, guest: true })).toEqual(['remove']);
  });

  test('speakers and listeners get no tools; a muted speaker cannot be muted again', () => {
    expect(moderationTools(speaker, listener)).toEqual([]);
    expect(moderationTools(listener, speaker)).toEqual([]);
    expect(moderationTools(host, { ...speaker, muted: true })).toEqual(['moveToAudience', 'promoteModerator', 'remove']);
  });
});
