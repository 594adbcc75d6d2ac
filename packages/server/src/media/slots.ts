/**
 * Audio slot allocation: which speakers a subscriber hears on its N slot tracks. Pure functions, so
 * the rules (loudest first, stable, never yourself) are tested without peers.
 */

/** A speaker competing for a slot, with its recent loudness. */
export interface SlotCandidate {
  /** The speaker's participant id. */
  participantId: string;
  /** Recent audio level in dBov (−127 = silence, 0 = full scale). */
  level: number;
}

/** A slot assignment: one participant id (or null for an idle slot) per slot, by slot index. */
export type SlotAssignment = readonly (string | null)[];

/** Tuning of {@link assignSlots}. */
export interface AssignSlotsOptions {
  /**
   * Bonus in dB a speaker already holding a slot gets when ranking, so two speakers of nearly equal
   * loudness do not swap slots back and forth on every tick.
   */
  hysteresisDb: number;
  /** Never assign this participant (the subscriber itself: nobody hears their own voice back). */
  exclude?: string;
}

/**
 * Map the loudest candidates onto slots. A speaker who stays among the N loudest keeps its slot;
 * a speaker who drops out (silent, DTX, stopped) frees it for the next loudest newcomer, which takes
 * the lowest free slot. Returns a new array; `current` is not modified.
 */
export function assignSlots(
  current: SlotAssignment,
  candidates: readonly SlotCandidate[],
  options: AssignSlotsOptions,
): (string | null)[] {
  const slotCount = current.length;
  const incumbents = new Set(current.filter((id): id is string => id !== null));
  const ranked = candidates
    .filter((c) => c.participantId !== options.exclude)
    .map((c) => ({
      participantId: c.participantId,
      score: c.level + (incumbents.has(c.participantId) ? options.hysteresisDb : 0),
    }))
    .sort((a, b) => b.score - a.score || (a.participantId < b.participantId ? -1 : 1));
  const winners = new Set(ranked.slice(0, slotCount).map((c) => c.participantId));

  const next = current.map((id) => (id !== null && winners.has(id) ? id : null));
  for (const { participantId } of ranked.slice(0, slotCount)) {
    if (next.includes(participantId)) continue;
    const free = next.indexOf(null);
    if (free === -1) break;
    next[free] = participantId;
  }
  return next;
}

/** True when two assignments put the same speakers on the same slots. */
export function sameAssignment(a: SlotAssignment, b: SlotAssignment): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
