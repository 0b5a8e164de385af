// Draws the extension icon (images/icon.png, 128x128): a white shield with a person, on a rounded red tile.
// Plain Node (zlib only): run `node scripts/make-icon.js` after changing the drawing; the PNG is committed.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges

/** Signed-distance-like tests in a 0..1 unit square; each returns true when the point is inside the shape. */
function roundedRect(x, y, r) {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function shield(x, y) {
  // flat top with rounded shoulders, sides narrowing to a point at the bottom
  const top = 0.2,
    mid = 0.52,
    bottom = 0.86,
    half = 0.29;
  if (y < top || y > bottom) return false;
  if (y <= mid) {
    const shoulder = y < top + 0.05 ? Math.sqrt(Math.max(0, 0.05 ** 2 - (top + 0.05 - y) ** 2)) - 0.05 : 0;
    return Math.abs(x - 0.5) <= half + shoulder;
  }
  const t = (y - mid) / (bottom - mid);
  const w = half * Math.sqrt(1 - t * t); // rounded V
  return Math.abs(x - 0.5) <= w;
}
function person(x, y) {
  const head = (x - 0.5) ** 2 + (y - 0.4) ** 2 <= 0.075 ** 2;
  const body = y >= 0.5 && y <= 0.7 && (x - 0.5) ** 2 / 0.14 ** 2 + (y - 0.7) ** 2 / 0.17 ** 2 <= 1;
  return head || body;
}

function colourAt(x, y) {
  if (!roundedRect(x, y, 0.2)) return null;
  if (person(x, y)) return [255, 54, 33]; // Databricks red, cut out of the shield
  if (shield(x, y)) return [255, 255, 255];
  const g = 1 - 0.25 * y; // slight vertical gradient on the tile
  return [Math.round(27 * g + 10), Math.round(49 * g + 8), Math.round(57 * g + 12)];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colourAt((px + (sx + 0.5) / SS) / SIZE, (py + (sy + 0.5) / SS) / SIZE);
        if (c) {
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'images', 'icon.png');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
