import { describe, expect, test } from 'vitest';
import type { Participant } from '@parley/protocol';
import { announcementsBetween, type RoomMoment } from './announcements';

const at = '2026-01-01T10:00:00.000Z';

function participant(id: string, patch: Partial<Participant> = {}): Participant {
  return {
    id,
    displayName: id.replace(/-.*/, ''),
    role: 'listener',
    handRaisedAt: null,
    invitedToSpeak: false,
    muted: false,
    joinedAt: at,
    ...patch,
  };
}

function moment(participants: Participant[], speaking: string[] = []): RoomMoment {
  return { participants, speakingIds: new Set(speaking) };
}

const host = participant('Ada-00000001', { role: 'host' });
const ben = participant('Ben-00000002');
const me = participant('Cy-000000003');

describe('announcementsBetween()', () => {
  test('announces other people raising a hand, joining the stage and starting to speak', () => {
    const before = moment([host, ben, me]);
    const handUp = moment([host, { ...ben, handRaisedAt: at }, me]);
    expect(announcementsBetween(before, handUp, me.id).map((a) => a.text)).toEqual(['Ben raised their hand.']);

    const onStage = moment([host, { ...ben, role: 'speaker' }, me], [ben.id]);
    expect(announcementsBetween(handUp, onStage, me.id)).toEqual([
      { text: 'Ben joined the stage.' },
      { text: 'Ben started speaking.', startedSpeaking: ben.id },
    ]);
  });

  test('someone the viewer did not list who arrives on stage joined it; the first state announces nobody', () => {
    const dee = participant('Dee-00000004', { role: 'speaker' });
    expect(announcementsBetween(moment([host, me]), moment([host, me, dee]), me.id).map((a) => a.text)).toEqual(['Dee joined the stage.']);
    expect(announcementsBetween(moment([]), moment([host, me, dee]), me.id)).toEqual([]);
  });

  test('says nothing when nothing a listener cares about changed', () => {
    const still = moment([host, ben, me], [host.id]);
    expect(announcementsBetween(still, moment([host, ben, me], [host.id]), me.id)).toEqual([]);
  });

  test('tells the viewer about their own hand, invitation, role and mute, and not as "someone"', () => {
    const steps: Participant[] = [
      me,
      { ...me, handRaisedAt: at },
      { ...me, handRaisedAt: at, invitedToSpeak: true },
      { ...me, role: 'speaker' },
      { ...me, role: 'speaker', muted: true },
      { ...me, role: 'listener' },
    ];
    const said = steps.slice(1).map((step, i) => announcementsBetween(moment([host, steps[i]!]), moment([host, step]), me.id));
    expect(said.map((list) => list.map((a) => a.text))).toEqual([
      ['Your hand is raised.'],
      ['You are invited to speak. Accept or decline.'],
      ['You are now a speaker.'],
      ['You are muted.'],
      ['You are now in the audience.'],
    ]);
  });

  test('announces a lowered hand only when the role did not change', () => {
    const raised = moment([host, { ...me, handRaisedAt: at }]);
    expect(announcementsBetween(raised, moment([host, me]), me.id).map((a) => a.text)).toEqual(['Your hand is lowered.']);
  });

  test('says when a moderator muted the viewer, rather than "you are muted"', () => {
    const speaker = { ...me, role: 'speaker' as const };
    const before = moment([host, speaker]);
    const muted = { ...moment([host, { ...speaker, muted: true }]), mutedByModerator: true };
    expect(announcementsBetween(before, muted, me.id).map((a) => a.text)).toEqual(['A moderator muted you.']);
    expect(announcementsBetween(muted, before, me.id).map((a) => a.text)).toEqual(['You are unmuted.']);
  });

  test('announces moderators made and unmade, and people leaving the stage', () => {
    const speaker = { ...ben, role: 'speaker' as const };
    const said = (from: Participant, to: Participant) =>
      announcementsBetween(moment([host, from, me]), moment([host, to, me]), me.id).map((a) => a.text);
    expect(said(ben, { ...ben, role: 'moderator' })).toEqual(['Ben was made a moderator.']);
    expect(said(speaker, { ...ben, role: 'moderator' })).toEqual(['Ben was made a moderator.']);
    expect(said({ ...ben, role: 'moderator' }, speaker)).toEqual(['Ben is no longer a moderator.']);
    expect(said(speaker, ben)).toEqual(['Ben moved to the audience.']);
  });

  test('tells the viewer they became a moderator, or stopped being one', () => {
    const asModerator = { ...me, role: 'moderator' as const };
    expect(announcementsBetween(moment([host, me]), moment([host, asModerator]), me.id).map((a) => a.text)).toEqual([
      'You are now a moderator. You can run the stage.',
    ]);
    expect(
      announcementsBetween(moment([host, asModerator]), moment([host, { ...me, role: 'speaker' }]), me.id).map((a) => a.text),
    ).toEqual(['You are no longer a moderator.']);
  });
});
