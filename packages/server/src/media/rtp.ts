/**
 * In-place RTP helpers for the forwarding path. Everything here reads or writes the packet buffer
 * node-datachannel handed us, without allocating: the SFU touches every packet, so these stay tiny.
 *
 * RTP fixed header (RFC 3550):  V P X CC | M PT | sequence | timestamp | SSRC | CSRC… | extension…
 */

/** Size of the fixed RTP header in bytes. */
export const RTP_HEADER_SIZE = 12;

/** Level reported when a packet carries no audio level: the RFC 6464 floor (digital silence). */
export const SILENCE_DBOV = -127;

/** The URI of the RFC 6464 client-to-mixer audio level header extension. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/**
 * True when the buffer is RTCP rather than RTP. node-datachannel delivers both on one track
 * (rtcp-mux); RTCP packet types 192–223 show up as 64–95 once the marker bit position is masked.
 */
export function isRtcp(packet: Buffer): boolean {
  if (packet.length < 2) return false;
  const type = packet.readUInt8(1) & 0x7f;
  return type >= 64 && type <= 95;
}

/** True for a plausible RTP packet: version 2, long enough for its header, not RTCP. */
export function isRtp(packet: Buffer): boolean {
  if (packet.length < RTP_HEADER_SIZE) return false;
  if (packet.readUInt8(0) >> 6 !== 2) return false;
  return !isRtcp(packet);
}

/** The 7-bit payload type. */
export function readPayloadType(packet: Buffer): number {
  return packet.readUInt8(1) & 0x7f;
}

/** The 16-bit sequence number. */
export function readSequenceNumber(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

/** The 32-bit RTP timestamp. */
export function readTimestamp(packet: Buffer): number {
  return packet.readUInt32BE(4);
}

/** The 32-bit synchronisation source. */
export function readSsrc(packet: Buffer): number {
  return packet.readUInt32BE(8);
}

/**
 * Rewrite the header fields that make a slot one continuous stream: payload type (keeping the
 * marker bit), sequence number, timestamp and SSRC. The payload and extensions are untouched.
 */
export function rewriteHeader(
  packet: Buffer,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  packet.writeUInt8((packet.readUInt8(1) & 0x80) | (payloadType & 0x7f), 1);
  packet.writeUInt16BE(sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
}

/**
 * Read the RFC 6464 audio level (as dBov, −127..0) from the packet's header extension with the
 * given id; the voice-activity bit is ignored because Chrome sets it even on silence. Handles the
 * one-byte (0xBEDE) and two-byte (0x100X) extension forms. Returns undefined when absent.
 */
export function readAudioLevel(packet: Buffer, extensionId: number): number | undefined {
  if (extensionId <= 0 || packet.length < RTP_HEADER_SIZE) return undefined;
  const first = packet.readUInt8(0);
  if ((first & 0x10) === 0) return undefined;
  const extStart = RTP_HEADER_SIZE + 4 * (first & 0x0f);
  if (extStart + 4 > packet.length) return undefined;
  const profile = packet.readUInt16BE(extStart);
  const end = extStart + 4 + 4 * packet.readUInt16BE(extStart + 2);
  if (end > packet.length) return undefined;
  let offset = extStart + 4;
  if (profile === 0xbede) {
    while (offset < end) {
      const byte = packet.readUInt8(offset);
      if (byte === 0) {
        offset += 1; // padding
        continue;
      }
      const id = byte >> 4;
      if (id === 15) return undefined; // reserved: stop parsing, per RFC 8285
      const length = (byte & 0x0f) + 1;
      if (id === extensionId) {
        if (offset + 1 >= end) return undefined;
        return -(packet.readUInt8(offset + 1) & 0x7f);
      }
      offset += 1 + length;
    }
    return undefined;
  }
  if ((profile & 0xfff0) === 0x1000) {
    while (offset + 1 < end) {
      const id = packet.readUInt8(offset);
      if (id === 0) {
        offset += 1;
        continue;
      }
      const length = packet.readUInt8(offset + 1);
      if (id === extensionId) {
        if (length < 1 || offset + 2 >= end) return undefined;
        return -(packet.readUInt8(offset + 2) & 0x7f);
      }
      offset += 2 + length;
    }
  }
  return undefined;
}

/**
 * The header extension id negotiated for the RFC 6464 audio level in an SDP, or undefined. Reads
 * `a=extmap:<id>[/direction] urn:ietf:params:rtp-hdrext:ssrc-audio-level`.
 */
export function findAudioLevelExtensionId(sdp: string): number | undefined {
  const match = /^a=extmap:(\d+)(?:\/\w+)?\s+urn:ietf:params:rtp-hdrext:ssrc-audio-level\s*$/m.exec(sdp);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The payload type mapped to Opus (`a=rtpmap:<pt> opus/48000…`) in an SDP, or undefined. */
export function findOpusPayloadType(sdp: string): number | undefined {
  const match = /^a=rtpmap:(\d+)\s+opus\/48000/im.exec(sdp);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `a - b` for 16-bit sequence numbers, as a signed distance in −32768..32767. */
export function sequenceDistance(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/**
 * Length of the RTP header (fixed part, CSRCs and header extension), or −1 when the packet is too
 * short for what its header announces. The payload is what follows (minus padding).
 */
export function rtpHeaderLength(packet: Buffer): number {
  const first = packet[0]!;
  let length = RTP_HEADER_SIZE + 4 * (first & 0x0f);
  if (first & 0x10) {
    if (length + 4 > packet.length) return -1;
    length += 4 + 4 * ((packet[length + 2]! << 8) | packet[length + 3]!);
  }
  return length <= packet.length ? length : -1;
}

/** Size of an RTCP sender report without report blocks. */
export const SENDER_REPORT_SIZE = 28;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

/**
 * Write an RTCP sender report with no report blocks (RFC 3550 §6.4.1) into `target`: the sender's
 * wall clock as NTP time, the RTP timestamp of the same instant, and its packet and octet counts.
 * Returns the length written.
 */
export function writeSenderReport(
  target: Buffer,
  ssrc: number,
  epochMs: number,
  rtpTimestamp: number,
  packetCount: number,
  octetCount: number,
): number {
  const seconds = Math.floor(epochMs / 1000);
  const fraction = Math.floor(((epochMs - seconds * 1000) / 1000) * 0x1_0000_0000);
  target.writeUInt8(0x80, 0); // V=2, P=0, RC=0
  target.writeUInt8(200, 1); // PT=SR
  target.writeUInt16BE(SENDER_REPORT_SIZE / 4 - 1, 2); // length in 32-bit words minus one
  target.writeUInt32BE(ssrc >>> 0, 4);
  target.writeUInt32BE((seconds + NTP_UNIX_OFFSET_SECONDS) >>> 0, 8);
  target.writeUInt32BE(fraction >>> 0, 12);
  target.writeUInt32BE(rtpTimestamp >>> 0, 16);
  target.writeUInt32BE(packetCount >>> 0, 20);
  target.writeUInt32BE(octetCount >>> 0, 24);
  return SENDER_REPORT_SIZE;
}
