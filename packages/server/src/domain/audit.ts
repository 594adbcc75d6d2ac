import { ParleyError, type AuditAction, type AuditEntry, type AuditLogReply } from '@parley/protocol';
import { newId } from './ids';
import type { AuditCursor, AuditView } from './moderation-ports';
import type { Store } from './ports';

/** One moderation act to record. */
export interface AuditAct {
  actorId: string;
  action: AuditAction;
  targetId?: string | null;
  roomId?: string | null;
  reportId?: string | null;
  note?: string;
}

/**
 * The audit log of moderation acts: stage acts in rooms (recorded by the room service) and admin acts
 * (recorded by the safety service). Entries are only ever appended.
 */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Append one act, stamped now. */
  async record(act: AuditAct): Promise<void> {
    await this.store.moderation.audit.append({
      id: newId(),
      at: this.clock(),
      actorId: act.actorId,
      action: act.action,
      targetId: act.targetId ?? null,
      roomId: act.roomId ?? null,
      reportId: act.reportId ?? null,
      note: act.note ?? '',
    });
  }

  /** One page of the whole log (`roomId` null) or of one room's, newest first. */
  async page(roomId: string | null, cursor: string | undefined, limit: number): Promise<AuditLogReply> {
    const views = await this.store.moderation.audit.list({ roomId, after: decodeCursor(cursor), limit: limit + 1 });
    const page = views.slice(0, limit);
    const last = page[page.length - 1];
    return {
      entries: page.map(toAuditEntry),
      nextCursor: views.length > limit && last ? encodeCursor({ at: last.entry.at, id: last.entry.id }) : null,
    };
  }
}

/** The protocol's entry from what the store read. */
export function toAuditEntry(view: AuditView): AuditEntry {
  return {
    id: view.entry.id,
    at: view.entry.at.toISOString(),
    actor: view.actor,
    action: view.entry.action,
    target: view.target,
    room: view.room,
    reportId: view.entry.reportId,
    note: view.entry.note,
  };
}

/** Cursors are opaque to clients: base64url of the last entry's time and id. */
function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): AuditCursor | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new ParleyError('invalid_message', 'This list cursor is not valid.');
  return { at: date, id };
}
