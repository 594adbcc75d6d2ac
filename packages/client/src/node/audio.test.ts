import { describe, expect, it } from 'vitest';
import { dominantFrequency } from './frequency';
import { OpusDecoder, OpusEncoder } from './opus';
import { findAudioLevelExtensionId, readSequenceNumber, readSsrc, rtpPayload, writeRtpPacket } from './rtp';
import { FRAME_SAMPLES, levelDbov, SAMPLE_RATE, ToneGenerator } from './tone';

function tone(hz: number, frames: number, amplitude = 0.5): Int16Array {
  const generator = new ToneGenerator(hz, amplitude);
  const out = new Int16Array(frames * FRAME_SAMPLES);
  const frame = new Int16Array(FRAME_SAMPLES);
  for (let f = 0; f < frames; f += 1) {
    generator.nextFrame(frame);
    out.set(frame, f * FRAME_SAMPLES);
  }
  return out;
}

describe('ToneGenerator', () => {
  it('nextFrame() reports the level a browser would: a half-scale sine reads −9 dBov', () => {
    const frame = new Int16Array(FRAME_SAMPLES);
    expect(new ToneGenerator(440, 0.5).nextFrame(frame)).toBeCloseTo(-9.03, 1);
    expect(levelDbov(new Int16Array(FRAME_SAMPLES))).toBe(-127);
  });
});

describe('dominantFrequency()', () => {
  it.each([440, 1000, 523.25, 97])('finds %s Hz within 0.5 Hz in a clean tone', (hz) => {
    expect(Math.abs(dominantFrequency(tone(hz, 20), SAMPLE_RATE) - hz)).toBeLessThan(0.5);
  });

  it('returns NaN without enough samples', () => {
    expect(dominantFrequency(new Int16Array(100), SAMPLE_RATE)).toBeNaN();
  });
});

describe('Opus round trip', () => {
  it('encodes 60 ms frames too (fewer packets for the same audio), decoding to 2880 samples each', () => {
    const encoder = new OpusEncoder(32_000, 3 * FRAME_SAMPLES);
    const decoder = new OpusDecoder();
    const input = tone(440, 30);
    const decoded: number[] = [];
    for (let f = 0; f < 10; f += 1) {
      const samples = decoder.decode(encoder.encode(input.subarray(f * 3 * FRAME_SAMPLES, (f + 1) * 3 * FRAME_SAMPLES)));
      expect(samples).toHaveLength(3 * FRAME_SAMPLES);
      decoded.push(...samples);
    }
    expect(() => encoder.encode(input.subarray(0, FRAME_SAMPLES))).toThrow(RangeError);
    encoder.close();
    decoder.close();
    expect(Math.abs(dominantFrequency(decoded, SAMPLE_RATE) - 440)).toBeLessThan(2);
  });

  it.each([440, 1000])('encode() then decode() keeps a %s Hz tone within 2 Hz', (hz) => {
    const encoder = new OpusEncoder();
    const decoder = new OpusDecoder();
    const input = tone(hz, 50);
    const decoded: number[] = [];
    for (let f = 0; f < 50; f += 1) {
      const packet = encoder.encode(input.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES));
      expect(packet.length).toBeGreaterThan(10);
      decoded.push(...decoder.decode(packet));
    }
    encoder.close();
    decoder.close();
    expect(decoded).toHaveLength(50 * FRAME_SAMPLES);
    expect(Math.abs(dominantFrequency(decoded, SAMPLE_RATE) - hz)).toBeLessThan(2);
    // The decoded tone keeps its loudness (Opus is not silence).
    expect(levelDbov(Int16Array.from(decoded.slice(-FRAME_SAMPLES)))).toBeGreaterThan(-12);
  });
});

describe('writeRtpPacket()', () => {
  it('writes a header with the one-byte audio-level extension and the payload', () => {
    const target = Buffer.alloc(100);
    const length = writeRtpPacket(
      target,
      { payloadType: 111, sequenceNumber: 70000, timestamp: 5, ssrc: 42, audioLevelExtensionId: 3, levelDbov: -9.4 },
      Buffer.from([1, 2, 3]),
    );
    const packet = target.subarray(0, length);
    expect(length).toBe(12 + 8 + 3);
    expect(packet[0]).toBe(0x90);
    expect(readSequenceNumber(packet)).toBe(70000 & 0xffff);
    expect(readSsrc(packet)).toBe(42);
    expect(packet.readUInt16BE(12)).toBe(0xbede);
    expect(packet[16]).toBe(0x30);
    expect(packet[17]).toBe(0x80 | 9);
    expect([...(rtpPayload(packet) ?? [])]).toEqual([1, 2, 3]);
    expect(findAudioLevelExtensionId('a=extmap:3 urn:ietf:params:rtp-hdrext:ssrc-audio-level')).toBe(3);
  });
});
