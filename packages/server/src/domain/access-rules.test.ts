import { describe, expect, it } from 'vitest';
import type { RoomType } from '@parley/protocol';
import { accessRefusal, listedTo, type AccessFacts } from './access-rules';

/** Facts for a member who is nobody special in a room of this type; `patch` changes any of them. */
function facts(type: RoomType, patch: Partial<AccessFacts> = {}): AccessFacts {
  return {
    room: { type, hostId: 'host-0001' },
    viewer: { id: 'viewer-0001', guest: false, admin: false },
    banned: false,
    blockedByModerator: false,
    onStage: false,
    followsStage: false,
    invited: false,
    granted: false,
    ...patch,
  };
}

const kind = (f: AccessFacts) => accessRefusal(f)?.kind ?? 'admitted';

describe('accessRefusal()', () => {
  it('open rooms admit anyone, guests too', () => {
    expect(kind(facts('open'))).toBe('admitted');
    expect(kind(facts('open', { viewer: { id: 'g-0001', guest: true, admin: false } }))).toBe('admitted');
  });

  it('social rooms admit followers of the stage and people on it; others and guests get the reason', () => {
    expect(kind(facts('social'))).toBe('access');
    expect(kind(facts('social', { followsStage: true }))).toBe('admitted');
    expect(kind(facts('social', { onStage: true }))).toBe('admitted');
    expect(accessRefusal(facts('social', { viewer: { id: 'g-0001', guest: true, admin: false } }))?.message).toMatch(/Sign in/);
  });

  it('closed rooms admit the host and the access list only; the link (being on stage earlier, following) does not', () => {
    expect(kind(facts('closed'))).toBe('access');
    expect(kind(facts('closed', { followsStage: true, onStage: true }))).toBe('access');
    expect(kind(facts('closed', { invited: true }))).toBe('admitted');
    expect(kind(facts('closed', { viewer: { id: 'host-0001', guest: false, admin: false } }))).toBe('admitted');
  });

  it('bans beat everything, admins included; blocks by whoever runs the room beat the type but not admins or the host', () => {
    for (const type of ['open', 'social', 'closed'] as const) {
      expect(kind(facts(type, { banned: true, invited: true, followsStage: true, viewer: { id: 'a-0001', guest: false, admin: true } }))).toBe('banned');
      expect(kind(facts(type, { blockedByModerator: true, invited: true, followsStage: true }))).toBe('blocked');
      expect(kind(facts(type, { blockedByModerator: true, viewer: { id: 'a-0001', guest: false, admin: true } }))).toBe('admitted');
      expect(kind(facts(type, { viewer: { id: 'a-0001', guest: false, admin: true } }))).toBe('admitted');
    }
  });

  it('a place on stage arranged outside the room (an event’s speaker) admits to any type, blocks aside', () => {
    expect(kind(facts('closed', { granted: true }))).toBe('admitted');
    expect(kind(facts('social', { granted: true }))).toBe('admitted');
    expect(kind(facts('closed', { granted: true, blockedByModerator: true }))).toBe('blocked');
  });
});

describe('listedTo()', () => {
  it('closed rooms are never listed, not even to their host or an admin', () => {
    expect(listedTo({ ...facts('closed', { invited: true }), hostInBlockWithViewer: false })).toBe(false);
    expect(listedTo({ ...facts('closed', { viewer: { id: 'host-0001', guest: false, admin: true } }), hostInBlockWithViewer: false })).toBe(false);
  });

  it('open and social rooms are listed to whoever may enter, unless the host and the viewer are in a block either way', () => {
    expect(listedTo({ ...facts('open'), hostInBlockWithViewer: false })).toBe(true);
    expect(listedTo({ ...facts('open'), hostInBlockWithViewer: true })).toBe(false);
    expect(listedTo({ ...facts('social'), hostInBlockWithViewer: false })).toBe(false);
    expect(listedTo({ ...facts('social', { followsStage: true }), hostInBlockWithViewer: false })).toBe(true);
    expect(listedTo({ ...facts('open', { banned: true }), hostInBlockWithViewer: false })).toBe(false);
  });
});
