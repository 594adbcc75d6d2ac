import { describe, expect, test } from 'vitest';
import { ParleyError, type User } from '@parley/protocol';
import {
  isAboveSilence,
  isDamagedToken,
  joinAsText,
  levelFromSamples,
  linkRefusalOf,
  meterPercent,
  nextMeterLevel,
  refusalMessage,
  stageHandoff,
  wantsStageHandoff,
} from './speakLink';

describe('linkRefusalOf()', () => {
  test('reads the server’s refusals of a dead link', () => {
    // The sentences of packages/server/src/domain/speaker-links.ts.
    expect(linkRefusalOf(new ParleyError('conflict', 'This speaker link was already used: each link works once. Ask the host for a new one.'))).toBe('used');
    expect(linkRefusalOf(new ParleyError('conflict', 'This speaker link has expired. Ask the host for a new one.'))).toBe('expired');
    expect(linkRefusalOf(new ParleyError('conflict', 'This speaker link was withdrawn by the host.'))).toBe('revoked');
    expect(linkRefusalOf(new ParleyError('not_found', 'This speaker link is not valid.'))).toBe('invalid');
  });

  test('anything else is not a refusal (it is worth trying again)', () => {
    expect(linkRefusalOf(new ParleyError('rate_limited', 'slow down'))).toBeNull();
    expect(linkRefusalOf(new ParleyError('conflict', 'Something else happened.'))).toBeNull();
    expect(linkRefusalOf(new TypeError('Failed to fetch'))).toBeNull();
  });

  test('the guest reads the contract’s sentences', () => {
    expect(refusalMessage('used')).toContain('This link has already been used');
    expect(refusalMessage('revoked')).toContain('This link was revoked');
    expect(refusalMessage('expired')).toContain('This link has expired');
    expect(refusalMessage('invalid')).toContain('This link is not valid');
  });
});

test('isDamagedToken() checks the shape of the secret with the protocol schema', () => {
  expect(isDamagedToken('A'.repeat(43))).toBe(false);
  expect(isDamagedToken('a1_-'.repeat(10) + 'abc')).toBe(false);
  expect(isDamagedToken('short')).toBe(true);
  expect(isDamagedToken('A'.repeat(42) + '!')).toBe(true);
});

test('joinAsText() says who goes on stage', () => {
  const member: User = { id: 'u1', displayName: 'Ada', kind: 'member' };
  const guest: User = { id: 'u2', displayName: 'Someone', kind: 'guest' };
  expect(joinAsText(null, 'Grace')).toBe('You will go on stage as Grace.');
  expect(joinAsText(guest, 'Grace')).toBe('You will go on stage as Grace.');
  expect(joinAsText(member, 'Grace')).toContain('as yourself (Ada)');
});

describe('the microphone level', () => {
  test('silence is 0 and full scale is 1', () => {
    expect(levelFromSamples([])).toBe(0);
    expect(levelFromSamples(new Float32Array(256))).toBe(0);
    expect(levelFromSamples(new Float32Array(256).fill(1))).toBe(1);
  });

  test('a quiet hiss is silence, a voice is not', () => {
    const hiss = Array.from({ length: 512 }, (_, i) => (i % 2 ? 1 : -1) * 0.0005); // about -66 dBFS
    const voice = Array.from({ length: 512 }, (_, i) => 0.1 * Math.sin(i / 5)); // about -23 dBFS
    expect(isAboveSilence(levelFromSamples(hiss))).toBe(false);
    expect(isAboveSilence(levelFromSamples(voice))).toBe(true);
    expect(levelFromSamples(voice)).toBeGreaterThan(0.5);
  });

  test('the meter rises at once and falls back gently', () => {
    expect(nextMeterLevel(0.2, 0.9)).toBe(0.9);
    expect(nextMeterLevel(0.9, 0)).toBeCloseTo(0.72);
    expect(meterPercent(0.726)).toBe(73);
    expect(meterPercent(2)).toBe(100);
    expect(meterPercent(-1)).toBe(0);
  });
});

test('wantsStageHandoff(): only from "Join on stage", and not after a reload lost the click', () => {
  expect(wantsStageHandoff(stageHandoff, true)).toBe(true);
  expect(wantsStageHandoff(stageHandoff, undefined)).toBe(true);
  expect(wantsStageHandoff(stageHandoff, false)).toBe(false);
  expect(wantsStageHandoff(null, true)).toBe(false);
  expect(wantsStageHandoff({ other: true }, true)).toBe(false);
});
