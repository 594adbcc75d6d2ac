import { describe, expect, test } from 'vitest';
import type { Participant } from '@parley/protocol';
import { MuteOrigin } from './muteOrigin';

const speaker: Participant = {
  id: 'Ben-00000002',
  displayName: 'Ben',
  role: 'speaker',
  handRaisedAt: null,
  invitedToSpeak: false,
  muted: false,
  joinedAt: '2026-01-01T10:00:00.000Z',
};

describe('MuteOrigin', () => {
  test('a mute that arrives while no request of ours is in flight came from a moderator', () => {
    const origin = new MuteOrigin();
    origin.observe(speaker);
    origin.observe({ ...speaker, muted: true });
    expect(origin.mutedByModerator).toBe(true);
    origin.observe(speaker);
    expect(origin.mutedByModerator).toBe(false);
  });

  test('a mute seen while our own mute request is in flight is ours', async () => {
    const origin = new MuteOrigin();
    origin.observe(speaker);
    // The server broadcasts the change before it acknowledges the request.
    await origin.selfMute(async () => origin.observe({ ...speaker, muted: true }));
    expect(origin.mutedByModerator).toBe(false);
    origin.observe(speaker);
    origin.observe({ ...speaker, muted: true });
    expect(origin.mutedByModerator).toBe(true);
  });

  test('a mute already there at the first look, or leaving the stage, blames nobody', () => {
    const origin = new MuteOrigin();
    origin.observe({ ...speaker, muted: true });
    expect(origin.mutedByModerator).toBe(false);
    const fresh = new MuteOrigin();
    fresh.observe(speaker);
    fresh.observe({ ...speaker, muted: true });
    fresh.observe({ ...speaker, role: 'listener', muted: false });
    expect(fresh.mutedByModerator).toBe(false);
  });
});
