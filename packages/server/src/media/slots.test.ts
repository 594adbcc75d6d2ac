import { describe, expect, it } from 'vitest';
import { assignSlots, sameAssignment } from './slots';

const options = { hysteresisDb: 3 };

describe('assignSlots()', () => {
  it('puts the loudest speakers on free slots, loudest first', () => {
    const next = assignSlots([null, null, null], [
      { participantId: 'quiet', level: -60 },
      { participantId: 'loud', level: -10 },
      { participantId: 'mid', level: -30 },
      { participantId: 'silent', level: -127 },
    ], options);
    expect(next).toEqual(['loud', 'mid', 'quiet']);
  });

  it('keeps a speaker on its slot while it stays among the loudest', () => {
    const next = assignSlots(['a', 'b', 'c'], [
      { participantId: 'c', level: -5 },
      { participantId: 'b', level: -20 },
      { participantId: 'a', level: -40 },
    ], options);
    expect(next).toEqual(['a', 'b', 'c']);
  });

  it('displaces a silent speaker with a louder newcomer, on the same slot', () => {
    const next = assignSlots(['a', 'b', 'c'], [
      { participantId: 'a', level: -20 },
      { participantId: 'b', level: -127 },
      { participantId: 'c', level: -25 },
      { participantId: 'd', level: -15 },
    ], options);
    expect(next).toEqual(['a', 'd', 'c']);
  });

  it('gives slot holders a hysteresis bonus against near-equal challengers', () => {
    const candidates = [
      { participantId: 'holder', level: -21 },
      { participantId: 'challenger', level: -20 },
    ];
    expect(assignSlots(['holder'], candidates, options)).toEqual(['holder']);
    expect(assignSlots(['holder'], candidates, { hysteresisDb: 0 })).toEqual(['challenger']);
  });

  it('never assigns the excluded participant (nobody hears themselves)', () => {
    const next = assignSlots([null, null], [
      { participantId: 'me', level: -3 },
      { participantId: 'other', level: -50 },
    ], { ...options, exclude: 'me' });
    expect(next).toEqual(['other', null]);
  });

  it('frees slots of speakers who are no longer candidates (stopped, not allowed)', () => {
    expect(assignSlots(['gone', 'b'], [{ participantId: 'b', level: -30 }], options)).toEqual([null, 'b']);
  });

  it('does not modify its input', () => {
    const current = ['a', null];
    assignSlots(current, [{ participantId: 'b', level: -1 }], options);
    expect(current).toEqual(['a', null]);
  });
});

describe('sameAssignment()', () => {
  it('compares slot by slot', () => {
    expect(sameAssignment(['a', null], ['a', null])).toBe(true);
    expect(sameAssignment(['a', null], [null, 'a'])).toBe(false);
    expect(sameAssignment(['a'], ['a', null])).toBe(false);
  });
});
