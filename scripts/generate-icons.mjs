// Draws the tray icons (one per state, 16 px and 32 px for HiDPI as Electron's @2x) and the 512 px app icon, as PNGs
// written with zlib alone: `node scripts/generate-icons.mjs`. The output is committed; run again after a change here.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in a unit square (0..1 both ways, y down): each says whether a point is inside.
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const roundRect = (m, r) => (x, y) => {
  const dx = Math.max(m + r - x, 0, x - (1 - m - r));
  const dy = Math.max(m + r - y, 0, y - (1 - m - r));
  return x >= m && x <= 1 - m && y >= m && y <= 1 - m && dx * dx + dy * dy <= r * r;
};
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= (w / 2) ** 2;
};
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const arch = (cx, cy, r0, r1) => (x, y) =>
  y <= cy && (x - cx) ** 2 + (y - cy) ** 2 <= r1 * r1 && (x - cx) ** 2 + (y - cy) ** 2 >= r0 * r0;

/** Layers painted in order, each [shape, colour]; 4×4 samples a pixel for smooth edges. */
function draw(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [shape, colour] of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++)
          for (let sx = 0; sx < n; sx++)
            if (shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
        const cover = hits / (n * n);
        if (cover === 0) continue;
        const na = cover + a * (1 - cover);
        [r, g, b] = [0, 1, 2].map((i) => (colour[i] * cover + [r, g, b][i] * a * (1 - cover)) / na);
        a = na;
      }
      out.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return out;
}

const disc = circle(0.5, 0.5, 0.47);
const TRAY = {
  // A check: guarding, nothing waits.
  idle: [[47, 111, 222], union(segment(0.28, 0.52, 0.44, 0.68, 0.13), segment(0.44, 0.68, 0.73, 0.34, 0.13))],
  // Three dots: a call waits for a person.
  waiting: [
    [224, 142, 11],
    union(circle(0.27, 0.5, 0.085), circle(0.5, 0.5, 0.085), circle(0.73, 0.5, 0.085)),
  ],
  // Two bars: paused.
  paused: [[110, 116, 128], union(rect(0.31, 0.27, 0.43, 0.73), rect(0.57, 0.27, 0.69, 0.73))],
  // An exclamation mark: an upstream failed, or the gateway stopped.
  failing: [[214, 48, 49], union(rect(0.44, 0.2, 0.56, 0.6), circle(0.5, 0.75, 0.07))],
};

const trayDir = path.join(ROOT, 'resources', 'tray');
fs.mkdirSync(trayDir, { recursive: true });
for (const [state, [colour, glyph]] of Object.entries(TRAY)) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
  ]) {
    const file = path.join(trayDir, `tray-${state}${suffix}.png`);
    fs.writeFileSync(
      file,
      png(
        size,
        draw(size, [
          [disc, colour],
          [glyph, WHITE],
        ]),
      ),
    );
  }
}

// The app icon: a gate (two posts under an arch) on a rounded square.
const gate = union(
  rect(0.3, 0.45, 0.4, 0.78),
  rect(0.6, 0.45, 0.7, 0.78),
  arch(0.5, 0.46, 0.1, 0.2),
  rect(0.22, 0.78, 0.78, 0.84),
);
fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'build', 'icon.png'),
  png(
    512,
    draw(512, [
      [roundRect(0.06, 0.18), [31, 58, 104]],
      [gate, WHITE],
    ]),
  ),
);
