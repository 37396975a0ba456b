// The PNG twin of a chart (loss.png, val_loss.png): the very SVG the run writes, rasterised by resvg.
import { Resvg } from '@resvg/resvg-js';

/** resvg maps sans-serif to Arial, which Linux rarely has; DejaVu Sans is what its desktops and Chromium fall back to. */
const SANS = process.platform === 'linux' ? 'DejaVu Sans' : 'Arial';

/** Renders `svg` at its own width and height on white, with the system's fonts for its text. */
export function svgToPng(svg: string): Buffer {
  const font = { loadSystemFonts: true, sansSerifFamily: SANS, defaultFontFamily: SANS };
  return new Resvg(svg, { background: '#ffffff', font, logLevel: 'off' }).render().asPng();
}
