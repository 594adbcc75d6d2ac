import { describe, expect, it } from 'vitest';
import {
  findAudioLevelExtensionId,
  findOpusPayloadType,
  isRtcp,
  isRtp,
  readAudioLevel,
  readPayloadType,
  readSequenceNumber,
  readSsrc,
  readTimestamp,
  rewriteHeader,
  rtpHeaderLength,
  sequenceDistance,
  writeSenderReport,
} from './rtp';

/** An RTP packet with an optional header extension block (already padded to whole words). */
function packet(options: { marker?: boolean; csrcs?: number; extension?: { profile: number; data: number[] } }): Buffer {
  const csrcs = options.csrcs ?? 0;
  const ext = options.extension;
  const extBytes = ext ? 4 + ext.data.length : 0;
  const buf = Buffer.alloc(12 + 4 * csrcs + extBytes + 3);
  buf[0] = 0x80 | (ext ? 0x10 : 0) | csrcs;
  buf[1] = (options.marker ? 0x80 : 0) | 96;
  buf.writeUInt16BE(65535, 2);
  buf.writeUInt32BE(0xfffffff0, 4);
  buf.writeUInt32BE(0x01020304, 8);
  if (ext) {
    const at = 12 + 4 * csrcs;
    buf.writeUInt16BE(ext.profile, at);
    buf.writeUInt16BE(ext.data.length / 4, at + 2);
    Buffer.from(ext.data).copy(buf, at + 4);
  }
  buf.set([0xaa, 0xbb, 0xcc], buf.length - 3); // payload
  return buf;
}

describe('rtp', () => {
  it('readX() reads the fixed header', () => {
    const p = packet({});
    expect(readPayloadType(p)).toBe(96);
    expect(readSequenceNumber(p)).toBe(65535);
    expect(readTimestamp(p)).toBe(0xfffffff0);
    expect(readSsrc(p)).toBe(0x01020304);
  });

  it('isRtcp() tells RTCP (SR, RR, SDES, BYE, feedback) from RTP', () => {
    for (const type of [200, 201, 202, 203, 205, 206]) {
      const rtcp = Buffer.from([0x80, type, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(isRtcp(rtcp)).toBe(true);
      expect(isRtp(rtcp)).toBe(false);
    }
    expect(isRtcp(packet({ marker: true }))).toBe(false);
    expect(isRtp(packet({}))).toBe(true);
    expect(isRtp(Buffer.from([0x80, 111, 0]))).toBe(false);
  });

  it('rewriteHeader() sets PT, seq, timestamp and SSRC in place and keeps the marker and payload', () => {
    const p = packet({ marker: true });
    rewriteHeader(p, 111, 0x1_0005, 0x1_0000_0007, 0xdeadbeef);
    expect(p[1]).toBe(0x80 | 111);
    expect(readSequenceNumber(p)).toBe(5);
    expect(readTimestamp(p)).toBe(7);
    expect(readSsrc(p)).toBe(0xdeadbeef);
    expect([...p.subarray(p.length - 3)]).toEqual([0xaa, 0xbb, 0xcc]);
    const unmarked = packet({});
    rewriteHeader(unmarked, 111, 1, 1, 1);
    expect(unmarked[1]).toBe(111);
  });

  it('readAudioLevel() finds the level in a one-byte extension after other elements and padding', () => {
    // id 3 (2 bytes), padding, id 1 (level 42 with voice bit), padding.
    const p = packet({ csrcs: 1, extension: { profile: 0xbede, data: [0x31, 0x11, 0x22, 0x00, 0x10, 0x80 | 42, 0, 0] } });
    expect(readAudioLevel(p, 1)).toBe(-42);
    expect(readAudioLevel(p, 5)).toBeUndefined();
    expect(readAudioLevel(packet({}), 1)).toBeUndefined();
  });

  it('readAudioLevel() ignores the voice bit and reads the two-byte form', () => {
    const silentNoVoice = packet({ extension: { profile: 0xbede, data: [0x10, 127, 0, 0] } });
    expect(readAudioLevel(silentNoVoice, 1)).toBe(-127);
    const twoByte = packet({ extension: { profile: 0x1000, data: [7, 2, 0xff, 0xff, 1, 1, 0x80 | 9, 0] } });
    expect(readAudioLevel(twoByte, 1)).toBe(-9);
  });

  it('readAudioLevel() survives a truncated extension', () => {
    const p = packet({ extension: { profile: 0xbede, data: [0x10, 9, 0, 0] } });
    p.writeUInt16BE(50, 14); // claims 50 words
    expect(readAudioLevel(p, 1)).toBeUndefined();
  });

  it('findAudioLevelExtensionId() and findOpusPayloadType() read the negotiated SDP', () => {
    const sdp = [
      'm=audio 9 UDP/TLS/RTP/SAVPF 63 111',
      'a=extmap:14 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:4/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=rtpmap:63 red/48000/2',
      'a=rtpmap:109 opus/48000/2',
    ].join('\r\n');
    expect(findAudioLevelExtensionId(sdp)).toBe(4);
    expect(findOpusPayloadType(sdp)).toBe(109);
    expect(findAudioLevelExtensionId('m=audio 9 RTP/AVP 0')).toBeUndefined();
  });

  it('sequenceDistance() wraps around 16 bits', () => {
    expect(sequenceDistance(1, 65535)).toBe(2);
    expect(sequenceDistance(65535, 1)).toBe(-2);
    expect(sequenceDistance(100, 100)).toBe(0);
  });
});

describe('rtpHeaderLength()', () => {
  it('counts the fixed header, CSRCs and the extension block', () => {
    expect(rtpHeaderLength(packet({}))).toBe(12);
    expect(rtpHeaderLength(packet({ csrcs: 2 }))).toBe(20);
    expect(rtpHeaderLength(packet({ extension: { profile: 0xbede, data: [0x10, 0xaa, 0, 0] } }))).toBe(20);
  });

  it('is −1 when the header claims more than the packet holds', () => {
    const truncated = packet({ extension: { profile: 0xbede, data: [0x10, 0xaa, 0, 0] } });
    truncated.writeUInt16BE(50, 14); // 50 words of extension in a 23-byte packet
    expect(rtpHeaderLength(truncated)).toBe(-1);
  });
});

describe('writeSenderReport()', () => {
  it('writes an RFC 3550 sender report: NTP time, RTP time, packet and octet counts', () => {
    const target = Buffer.alloc(64);
    const epochMs = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
    const length = writeSenderReport(target, 0xdeadbeef, epochMs, 0xfffffff0, 1234, 98765);
    expect(length).toBe(28);
    expect(isRtcp(target.subarray(0, length))).toBe(true);
    expect(target[0]).toBe(0x80);
    expect(target[1]).toBe(200);
    expect(target.readUInt16BE(2)).toBe(6);
    expect(target.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(target.readUInt32BE(8)).toBe(Math.floor(epochMs / 1000) + 2_208_988_800);
    expect(target.readUInt32BE(12) / 2 ** 32).toBeCloseTo(0.25, 6);
    expect(target.readUInt32BE(16)).toBe(0xfffffff0);
    expect(target.readUInt32BE(20)).toBe(1234);
    expect(target.readUInt32BE(24)).toBe(98765);
  });
});
