// The private channel between the grader and its sandboxed child: length-prefixed V8-serialised frames on a pipe of
// their own (fd 3), never Node's IPC channel, and every frame the child sends after it received its key carries an
// HMAC of its body under that key. Learner code, loaded after the key arrived, never sees the key, so it can
// neither forge a reply nor replay one: a frame that fails the check stops the child.
import * as crypto from 'node:crypto';
import * as v8 from 'node:v8';

// Copies taken when this module is evaluated (in the child: before any learner code), so that replacing the builtins
// later (and module.syncBuiltinESMExports) cannot reach the functions that serialise and sign a reply.
const serialize = v8.serialize;
const deserialize = v8.deserialize;
const createHmac = crypto.createHmac;
const timingSafeEqual = crypto.timingSafeEqual;
const concat = Buffer.concat.bind(Buffer);
const alloc = Buffer.alloc.bind(Buffer);
const hmacProto = Object.getPrototypeOf(crypto.createHmac('sha256', 'x')) as object;
const method = (name: string) => Reflect.get(hmacProto, name) as (...a: unknown[]) => unknown;
const update = method('update');
const digest = method('digest');
const apply = Reflect.apply;
const hmacUpdate = (h: crypto.Hmac, data: Buffer) => apply(update, h, [data]);
const hmacDigest = (h: crypto.Hmac) => apply(digest, h, []) as Buffer;

/** The file descriptor the channel occupies in the child (0–2 are stdin, stdout and stderr). */
export const CHANNEL_FD = 3;

const MAC_BYTES = 32;

/** Signs `body` under `key` (HMAC-SHA-256). */
function macOf(key: Buffer, body: Buffer): Buffer {
  const h = createHmac('sha256', key);
  hmacUpdate(h, body);
  return hmacDigest(h);
}

/** One frame: [u32 length][u8 signed][32-byte MAC if signed][V8-serialised value]. */
export function encodeFrame(value: unknown, key: Buffer | null): Buffer {
  const body = serialize(value);
  const mac = key ? macOf(key, body) : alloc(0);
  const head = alloc(5);
  head.writeUInt32BE(1 + mac.length + body.length, 0);
  head.writeUInt8(key ? 1 : 0, 4);
  return concat([head, mac, body]);
}

export interface Frame {
  value: unknown;
  /** True when the frame carried a MAC and it matched `key`; false when unsigned (or no key was asked for). */
  signed: boolean;
}

/** Splits a byte stream into frames; `check` is the key replies must be signed with (null: accept unsigned only). */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the complete frames, or throws on a frame that is malformed or carries a wrong MAC. */
  push(chunk: Buffer, key: Buffer | null): Frame[] {
    this.buffered = this.buffered.length ? concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 1 || length > 1 << 30) throw new Error('a malformed frame');
      if (this.buffered.length < 4 + length) break;
      const frame = this.buffered.subarray(4, 4 + length);
      this.buffered = this.buffered.subarray(4 + length);
      const signed = frame[0] === 1;
      if (signed && frame.length < 1 + MAC_BYTES) throw new Error('a malformed frame');
      const body = signed ? frame.subarray(1 + MAC_BYTES) : frame.subarray(1);
      if (signed) {
        if (!key || !timingSafeEqual(frame.subarray(1, 1 + MAC_BYTES), macOf(key, body))) throw new Error('a frame with a wrong signature');
      }
      frames.push({ value: deserialize(body) as unknown, signed });
    }
    return frames;
  }
}
