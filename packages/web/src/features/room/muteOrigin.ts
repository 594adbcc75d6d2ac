import type { RoomSession } from '@parley/client';
import type { Participant } from '@parley/protocol';
import { isOnStage } from '@parley/protocol';

/**
 * Tells a moderator's mute from one's own. The room state only says "muted"; the page knows when it
 * asked to mute itself, and the server applies (and broadcasts) that change before it acknowledges
 * the request, so a mute that arrives while no request of ours is in flight came from a moderator.
 */
export class MuteOrigin {
  private selfMuteRequests = 0;
  private wasMuted: boolean | undefined;
  private byModerator = false;

  /** True while the viewer is muted and the mute came from a moderator. */
  get mutedByModerator(): boolean {
    return this.byModerator;
  }

  /** Run the viewer's own mute request; a mute seen meanwhile is theirs. */
  async selfMute(request: () => Promise<void>): Promise<void> {
    this.selfMuteRequests += 1;
    try {
      await request();
    } finally {
      this.selfMuteRequests -= 1;
    }
  }

  /** Look at the viewer's participant after each state change. */
  observe(me: Participant | undefined): void {
    const muted = me !== undefined && isOnStage(me.role) && me.muted;
    // A mute already present when we first look (a host rejoining muted) is not blamed on anyone.
    if (muted && this.wasMuted === false) this.byModerator = this.selfMuteRequests === 0;
    if (!muted) this.byModerator = false;
    this.wasMuted = muted;
  }
}

const origins = new WeakMap<RoomSession, MuteOrigin>();

/**
 * The {@link MuteOrigin} of a room session, created on first use and fed by the session's change
 * notifications from then on. Create it before the view subscribes (useRoom does), so it has seen a
 * change before any view built from that change reads it.
 */
export function muteOriginOf(session: RoomSession): MuteOrigin {
  let origin = origins.get(session);
  if (!origin) {
    const created = new MuteOrigin();
    created.observe(session.me);
    session.subscribe(() => created.observe(session.me));
    origins.set(session, created);
    origin = created;
  }
  return origin;
}
