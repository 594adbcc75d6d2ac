import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerMessage, type Participant, type RoomEvent } from '@parley/protocol';
import { audienceDelayMs, RoomOutbox, type OutboxDelivery } from './room-outbox';

const roomId = 'room-outbox-0001';

function participant(id: string, role: Participant['role']): Participant {
  return { id, displayName: `Person ${id}`, role, handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: '2026-12-05T09:00:00.000Z' };
}

const joined = (id: string, role: Participant['role'] = 'listener'): RoomEvent => ({ kind: 'participantJoined', participant: participant(id, role) });
const left = (id: string): RoomEvent => ({ kind: 'participantLeft', participantId: id });
const hand = (id: string): RoomEvent => ({ kind: 'handRaised', participantId: id, at: '2026-12-05T10:00:00.000Z' });

/** Records what the outbox delivered, parsed with the protocol's schema (so every frame is valid). */
function recorder(): OutboxDelivery & { frames: { to: string; message: ServerMessage }[] } {
  const frames: { to: string; message: ServerMessage }[] = [];
  return {
    frames,
    broadcast: (json, except) => frames.push({ to: except && except.size > 0 ? `all but ${[...except].join(',')}` : 'all', message: ServerMessage.parse(JSON.parse(json)) }),
    sendTo: (id, json) => frames.push({ to: id, message: ServerMessage.parse(JSON.parse(json)) }),
  };
}

/** The seqs a frame carries. */
function seqs(message: ServerMessage): number[] {
  if (message.type === 'room.event') return [message.seq];
  if (message.type === 'room.events') return message.events.map((e) => e.seq);
  throw new Error(`not an event frame: ${message.type}`);
}

describe('RoomOutbox', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a stage change at once, as one room.event', () => {
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 1, event: hand('user-aaaa') });
    expect(out.frames).toEqual([{ to: 'all', message: { type: 'room.event', roomId, seq: 1, event: hand('user-aaaa') } }]);
  });

  it('holds the audience coming and going for the delay, then sends it as one room.events frame', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    outbox.publish({ seq: 2, event: joined('user-bbbb') });
    outbox.publish({ seq: 3, event: left('user-aaaa') });
    expect(out.frames).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(out.frames).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out.frames.map((f) => [f.to, f.message.type, seqs(f.message)])).toEqual([['all', 'room.events', [1, 2, 3]]]);
  });

  it('a lone audience change still goes out as a plain room.event', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 4, event: left('user-aaaa') });
    vi.advanceTimersByTime(100);
    expect(out.frames.map((f) => f.message)).toEqual([{ type: 'room.event', roomId, seq: 4, event: left('user-aaaa') }]);
  });

  it('a stage change flushes what waits first: seq order is kept', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    outbox.publish({ seq: 2, event: joined('user-bbbb') });
    outbox.publish({ seq: 3, event: hand('user-aaaa') });
    // A speaker joining is a stage change too.
    outbox.publish({ seq: 4, event: joined('user-cccc', 'speaker') });
    expect(out.frames.map((f) => seqs(f.message))).toEqual([[1, 2], [3], [4]]);
    vi.advanceTimersByTime(1000);
    expect(out.frames).toHaveLength(3);
  });

  it('someone handed a snapshot while events waited gets only the events after it', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    outbox.snapshotGiven('user-aaaa', 1);
    outbox.publish({ seq: 2, event: joined('user-bbbb') });
    outbox.snapshotGiven('user-bbbb', 2);
    vi.advanceTimersByTime(100);
    expect(out.frames.map((f) => [f.to, seqs(f.message)])).toEqual([
      ['all but user-aaaa,user-bbbb', [1, 2]],
      ['user-aaaa', [2]],
    ]);
    // The next burst goes to everyone again.
    outbox.publish({ seq: 3, event: left('user-aaaa') });
    vi.advanceTimersByTime(100);
    expect(out.frames.at(-1)?.to).toBe('all');
  });

  it('a snapshot handed out with nothing waiting changes nothing', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.snapshotGiven('user-aaaa', 5);
    outbox.publish({ seq: 6, event: joined('user-bbbb') });
    vi.advanceTimersByTime(100);
    expect(out.frames.map((f) => [f.to, seqs(f.message)])).toEqual([['all', [6]]]);
  });

  it('close drops what waits and its timer', () => {
    vi.useFakeTimers();
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 100);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    outbox.close();
    vi.advanceTimersByTime(1000);
    expect(out.frames).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the wait grows with the room, 0.2 ms a recipient between the configured least and 2 s', () => {
    expect(audienceDelayMs(100, 7)).toBe(100);
    expect(audienceDelayMs(100, 1000)).toBe(200);
    expect(audienceDelayMs(100, 5000)).toBe(1000);
    expect(audienceDelayMs(100, 50_000)).toBe(2000);
    // An operator's longer least wait stands; 0 turns waiting off at any size.
    expect(audienceDelayMs(3000, 50_000)).toBe(3000);
    expect(audienceDelayMs(0, 50_000)).toBe(0);
  });

  it('asks for the wait when the first change arrives', () => {
    vi.useFakeTimers();
    const out = recorder();
    let delay = 100;
    const outbox = new RoomOutbox(roomId, out, () => delay);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    delay = 1000;
    vi.advanceTimersByTime(100);
    expect(out.frames).toHaveLength(1);
    outbox.publish({ seq: 2, event: joined('user-bbbb') });
    vi.advanceTimersByTime(999);
    expect(out.frames).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(out.frames).toHaveLength(2);
  });

  it('with no delay every event leaves at once', () => {
    const out = recorder();
    const outbox = new RoomOutbox(roomId, out, () => 0);
    outbox.publish({ seq: 1, event: joined('user-aaaa') });
    outbox.publish({ seq: 2, event: left('user-aaaa') });
    expect(out.frames.map((f) => seqs(f.message))).toEqual([[1], [2]]);
  });
});
