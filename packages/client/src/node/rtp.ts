/**
 * The few RTP operations a Node peer needs: write an Opus packet with the RFC 6464 audio level, and
 * read the header fields a receiver counts and decodes by.
 */

/** Size of the fixed RTP header in bytes. */
export const RTP_HEADER_SIZE = 12;
/** Bytes of the one-byte-form header extension block carrying only the audio level. */
const AUDIO_LEVEL_EXTENSION_SIZE = 8;

/** Header fields of an outgoing packet. */
export interface RtpHeaderFields {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Header extension id of the audio level, or undefined to send none. */
  audioLevelExtensionId?: number;
  /** Audio level in dBov (−127..0); the voice bit is set above −127. */
  levelDbov?: number;
}

/**
 * Write an RTP packet (header, optional one-byte audio-level extension, payload) into `target`,
 * which must be large enough; returns the packet length.
 */
export function writeRtpPacket(target: Buffer, header: RtpHeaderFields, payload: Uint8Array): number {
  const withLevel = header.audioLevelExtensionId !== undefined && header.levelDbov !== undefined;
  const headerSize = RTP_HEADER_SIZE + (withLevel ? AUDIO_LEVEL_EXTENSION_SIZE : 0);
  target.writeUInt8(withLevel ? 0x90 : 0x80, 0); // V=2, X when the extension follows
  target.writeUInt8(header.payloadType & 0x7f, 1);
  target.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  target.writeUInt32BE(header.timestamp >>> 0, 4);
  target.writeUInt32BE(header.ssrc >>> 0, 8);
  if (withLevel) {
    const level = Math.min(127, Math.max(0, Math.round(-(header.levelDbov ?? -127))));
    target.writeUInt16BE(0xbede, 12);
    target.writeUInt16BE(1, 14); // one 32-bit word of extension data
    target.writeUInt8(((header.audioLevelExtensionId ?? 0) << 4) | 0, 16); // length field 0 = 1 byte
    target.writeUInt8((level < 127 ? 0x80 : 0) | level, 17);
    target.writeUInt16BE(0, 18); // padding
  }
  target.set(payload, headerSize);
  return headerSize + payload.length;
}

/** True when the buffer is RTCP (rtcp-mux: packet types 192–223 show as 64–95 without the marker). */
export function isRtcp(packet: Buffer): boolean {
  if (packet.length < 2) return false;
  const type = packet.readUInt8(1) & 0x7f;
  return type >= 64 && type <= 95;
}

/** The 16-bit sequence number. */
export function readSequenceNumber(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

/** The 32-bit SSRC. */
export function readSsrc(packet: Buffer): number {
  return packet.readUInt32BE(8);
}

/**
 * The payload of an RTP packet (after CSRCs and header extension, before padding), as a view of
 * `packet`; undefined when the packet is malformed.
 */
export function rtpPayload(packet: Buffer): Buffer | undefined {
  if (packet.length < RTP_HEADER_SIZE) return undefined;
  const first = packet.readUInt8(0);
  let offset = RTP_HEADER_SIZE + 4 * (first & 0x0f);
  if (first & 0x10) {
    if (offset + 4 > packet.length) return undefined;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  let end = packet.length;
  if (first & 0x20) end -= packet.readUInt8(packet.length - 1);
  if (offset > end) return undefined;
  return packet.subarray(offset, end);
}

/** `a - b` for 16-bit sequence numbers, as a signed distance in −32768..32767. */
export function sequenceDistance(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/** The audio-level extension id negotiated in an SDP (`a=extmap:<id> …ssrc-audio-level`), or undefined. */
export function findAudioLevelExtensionId(sdp: string): number | undefined {
  const match = /^a=extmap:(\d+)(?:\/\w+)?\s+urn:ietf:params:rtp-hdrext:ssrc-audio-level\s*$/m.exec(sdp);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
