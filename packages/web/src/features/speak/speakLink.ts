import { ParleyError, SpeakerLinkToken, type User } from '@parley/protocol';

/** Why a guest speaker link cannot be used. */
export type LinkRefusal = 'used' | 'revoked' | 'expired' | 'invalid';

/** The sentence the guest reads (in a role="alert") for each refusal; no "Join on stage" follows. */
const refusalMessages: Record<LinkRefusal, string> = {
  used: 'This link has already been used. Each speaker link works once: ask the host for a new one.',
  revoked: 'This link was revoked by the host. Ask them for a new one if you are still meant to speak.',
  expired: 'This link has expired. Ask the host for a new one.',
  invalid: 'This link is not valid. Check that you opened the whole link, or ask the host for a new one.',
};

export function refusalMessage(refusal: LinkRefusal): string {
  return refusalMessages[refusal];
}

/**
 * Reads the server's refusal of a link (preview or redeem): `not_found` for an unknown or damaged
 * token, `conflict` with a sentence saying used, expired or withdrawn. Null for any other failure
 * (network, rate limit…), which is worth retrying.
 */
export function linkRefusalOf(error: unknown): LinkRefusal | null {
  if (!(error instanceof ParleyError)) return null;
  if (error.code === 'not_found') return 'invalid';
  if (error.code !== 'conflict') return null;
  const message = error.message.toLowerCase();
  if (message.includes('expired')) return 'expired';
  if (message.includes('withdrawn') || message.includes('revoked')) return 'revoked';
  if (message.includes('used')) return 'used';
  return null;
}

/** A token that cannot be a speaker link's (so the page says so without asking the server). */
export function isDamagedToken(token: string): boolean {
  return !SpeakerLinkToken.safeParse(token).success;
}

/** Who the visitor will be on stage: a member stays themselves, anyone else becomes the named guest. */
export function joinAsText(user: User | null, guestName: string): string {
  if (user?.kind === 'member') return `You are signed in, so you will go on stage as yourself (${user.displayName}).`;
  return `You will go on stage as ${guestName}.`;
}

// Microphone level meter --------------------------------------------------------------------------

/** The meter's floor: quieter than this (in dBFS) reads as 0. */
const floorDb = -60;
/** Louder than this (in dBFS, about a quiet room through a noise-suppressed microphone) is not silence. */
export const silenceDb = -50;

/** The loudness of one block of samples (-1…1) as a meter level from 0 (silent) to 1 (full scale). */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - floorDb) / -floorDb));
}

/** A level above silence: the microphone demonstrably hears something. */
export function isAboveSilence(level: number): boolean {
  return level > (silenceDb - floorDb) / -floorDb;
}

/** The meter falls back gently (so a word stays visible for a moment) and rises at once. */
export function nextMeterLevel(previous: number, current: number): number {
  return Math.max(current, previous * 0.8);
}

/** The meter's value for `aria-valuenow`: a whole percentage. */
export function meterPercent(level: number): number {
  return Math.round(Math.min(1, Math.max(0, level)) * 100);
}

// Hand-over to the room page ----------------------------------------------------------------------

/** Navigation state the speak page passes to `/rooms/:roomId`: join at once, on stage. */
export const stageHandoff = { parleyJoinOnStage: true } as const;

/**
 * Whether the room page should join by itself: it was opened from "Join on stage" and the person has
 * clicked in this tab (so the browser lets the room's audio play). A reload keeps the history state
 * but loses the activation, and then shows the usual "Listen" button.
 */
export function wantsStageHandoff(state: unknown, hasBeenActive: boolean | undefined): boolean {
  const requested = typeof state === 'object' && state !== null && (state as Record<string, unknown>).parleyJoinOnStage === true;
  return requested && hasBeenActive !== false;
}
