/**
 * Load shedding for the forwarding loop. Node hands every incoming packet to JavaScript through a
 * queue; when the event loop falls behind (CPU starved, a long task), that queue grows, and sending
 * every queued packet to every listener keeps it behind: signalling starves, joins time out, and the
 * listeners' jitter buffers throw the late audio away anyway.
 */
/**
 * A packet that reaches the forwarding loop this much later than the speaker's RTP clock says it
 * should (relative to the best case seen) is dropped: the event loop is behind, and a listener's
 * jitter buffer would discard it anyway. Shedding it lets a backlog drain in milliseconds instead of
 * growing while every packet of it is sent to every listener, and keeps signalling responsive.
 */
const LATE_AFTER_MS = 300;
/** How fast the best-case baseline may rise (ms per ms): sender clocks drift ~0.01 %, allow 0.1 %. */
const DRIFT_ALLOWANCE = 0.001;
/** Late for longer than this (wall clock) means a timestamp jump at the sender, not a backlog: re-anchor. */
const DISCONTINUITY_AFTER_MS = 1000;
/** RTP clock ticks per millisecond (Opus, 48 kHz). */
const TICKS_PER_MS = 48;

/**
 * Compares each packet's arrival with the speaker's own RTP clock. The best case seen (lowest
 * arrival − RTP time) is the on-time baseline; it may rise slowly, so a sender clock that drifts never
 * reads as lateness. A packet more than {@link LATE_AFTER_MS} behind it is late. Lateness that lasts
 * over a second of wall clock is a timestamp jump at the sender, not a backlog, and re-anchors.
 */
export class LatenessFilter {
  /** The speaker's RTP clock in ms, unwrapped, at the latest packet (NaN before the first). */
  private rtpMs = Number.NaN;
  private lastRtpTimestamp = 0;
  /** Lowest (arrival − RTP time) seen, and when: the on-time baseline. */
  private baselineMs = Number.POSITIVE_INFINITY;
  private baselineAt = 0;
  /** When the current run of late packets started (NaN while on time). */
  private lateSince = Number.NaN;

  /** True when a packet with RTP `timestamp` (48 kHz ticks) arriving at `now` (ms) is too late. */
  isLate(timestamp: number, now: number): boolean {
    if (Number.isNaN(this.rtpMs)) {
      this.rtpMs = timestamp / TICKS_PER_MS;
    } else {
      // Signed 32-bit difference: wraps and reordering both come out right.
      this.rtpMs += ((timestamp - this.lastRtpTimestamp) | 0) / TICKS_PER_MS;
    }
    this.lastRtpTimestamp = timestamp;
    const transit = now - this.rtpMs;
    const baseline = this.baselineMs + (now - this.baselineAt) * DRIFT_ALLOWANCE;
    if (transit <= baseline + LATE_AFTER_MS) {
      if (transit < baseline) {
        this.baselineMs = transit;
        this.baselineAt = now;
      }
      this.lateSince = Number.NaN;
      return false;
    }
    if (Number.isNaN(this.lateSince)) this.lateSince = now;
    if (now - this.lateSince > DISCONTINUITY_AFTER_MS) {
      // A backlog drains fast once its packets are dropped; lateness that lasts is the sender's
      // timestamps jumping back. Take the new relation as on time.
      this.baselineMs = transit;
      this.baselineAt = now;
      this.lateSince = Number.NaN;
      return false;
    }
    return true;
  }
}
