// An RGBA pixel canvas with anti-aliased thick lines, rectangles and bitmap text: what the PNG charts are drawn on.
import { GLYPH_H, GLYPH_W, glyph } from './bitmap-font.ts';

export type Rgb = [number, number, number];

/** '#rrggbb' → [r, g, b]. */
export function hexColor(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.pixels.set([...background, 255], i * 4);
  }

  /** Blends `color` over pixel (x, y) with opacity `alpha` in [0, 1]. */
  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 4;
    const a = Math.min(1, alpha);
    for (let c = 0; c < 3; c++) this.pixels[i + c] = Math.round(this.pixels[i + c]! * (1 - a) + color[c]! * a);
  }

  fillRect(x0: number, y0: number, w: number, h: number, color: Rgb): void {
    for (let y = Math.round(y0); y < Math.round(y0 + h); y++) {
      for (let x = Math.round(x0); x < Math.round(x0 + w); x++) this.blend(x, y, color, 1);
    }
  }

  /** A segment `width` pixels thick; coverage from the distance to the segment gives the anti-aliasing. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 2): void {
    const r = width / 2;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    const minX = Math.floor(Math.min(x0, x1) - r - 1);
    const maxX = Math.ceil(Math.max(x0, x1) + r + 1);
    const minY = Math.floor(Math.min(y0, y1) - r - 1);
    const maxY = Math.ceil(Math.max(y0, y1) + r + 1);
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const px = x + 0.5 - x0;
        const py = y + 0.5 - y0;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const dist = Math.hypot(px - t * dx, py - t * dy);
        this.blend(x, y, color, r + 0.5 - dist);
      }
    }
  }

  /** Pixel width of `text` at `scale`. */
  static textWidth(text: string, scale: number): number {
    return [...text].length * (GLYPH_W + 1) * scale - scale;
  }

  /** Draws `text` with its top-left corner at (x, y); `scale` multiplies the 5×7 glyphs. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): void {
    let cx = Math.round(x);
    for (const ch of text) {
      const rows = glyph(ch);
      if (rows) {
        for (let gy = 0; gy < GLYPH_H; gy++) {
          for (let gx = 0; gx < GLYPH_W; gx++) {
            if (rows[gy]![gx]) this.fillRect(cx + gx * scale, Math.round(y) + gy * scale, scale, scale, color);
          }
        }
      }
      cx += (GLYPH_W + 1) * scale;
    }
  }
}
