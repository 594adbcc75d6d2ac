import sharp from 'sharp';
import { ParleyError } from '@parley/protocol';
import type { AvatarEncoder } from '../domain/ports';

/** Side of the square every avatar is stored and served at. */
export const avatarSize = 256;

/** Refuse images whose header claims more pixels than this (decompression bombs): 40 megapixels. */
const maxInputPixels = 40_000_000;

/** Formats accepted on upload, by what libvips detects in the bytes (never by the declared type). */
const acceptedFormats = new Set(['png', 'jpeg', 'webp', 'gif']);

/**
 * Avatars through sharp (libvips; its prebuilt binary ships in npm optional packages): the bytes are
 * sniffed, decoded (first frame only), rotated upright from EXIF, cropped to a centred square, resized
 * to 256×256 and re-encoded as WebP. Metadata (EXIF, GPS, ICC text) is dropped by the re-encode, and
 * whatever was hidden in the original file does not survive it.
 */
export const sharpAvatarEncoder: AvatarEncoder = {
  async encode(bytes) {
    let format: string | undefined;
    try {
      format = (await sharp(bytes, { limitInputPixels: maxInputPixels }).metadata()).format;
    } catch {
      throw new ParleyError('invalid_message', 'This file is not an image we can read. Upload a PNG, JPEG, WebP or GIF.');
    }
    if (!format || !acceptedFormats.has(format)) {
      throw new ParleyError('invalid_message', 'Upload a PNG, JPEG, WebP or GIF image.');
    }
    try {
      const output = await sharp(bytes, { limitInputPixels: maxInputPixels, animated: false })
        .rotate()
        .resize(avatarSize, avatarSize, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer();
      return { bytes: new Uint8Array(output), contentType: 'image/webp' };
    } catch {
      throw new ParleyError('invalid_message', 'This image could not be read (it may be damaged or too large).');
    }
  },
};
