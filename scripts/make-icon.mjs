// Draws the Marketplace icon (media/icon.png, 128×128) from the same figure as the activity-bar icon
// (media/zookeeper.svg: one node above three, joined by lines). Drawn in code so the PNG can be
// regenerated without an image tool: `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // per axis: 16 samples a pixel for smooth edges
const BACKGROUND = [0x1f, 0x4e, 0x79];
const FOREGROUND = [0xff, 0xff, 0xff];
const ACCENT = [0xf2, 0xb1, 0x34];

// The SVG's 24-unit grid scaled onto 128 px with a margin.
const scale = (v) => 14 + (v / 24) * 100;
const nodes = [[12, 4.5], [5, 18.5], [12, 18.5], [19, 18.5]].map(([x, y]) => [scale(x), scale(y)]);
const edges = [[0, 1], [0, 2], [0, 3]];
const NODE_RADIUS = 10;
const EDGE_HALF_WIDTH = 3.2;
const CORNER = 22;

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, CORNER), SIZE - CORNER);
  const cy = Math.min(Math.max(y, CORNER), SIZE - CORNER);
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2;
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The colour at one sample point, or undefined outside the icon. */
function colourAt(x, y) {
  if (!insideRoundedSquare(x, y)) return undefined;
  if (Math.hypot(x - nodes[0][0], y - nodes[0][1]) <= NODE_RADIUS) return ACCENT;
  for (const [cx, cy] of nodes.slice(1)) if (Math.hypot(x - cx, y - cy) <= NODE_RADIUS) return FOREGROUND;
  for (const [a, b] of edges) if (distanceToSegment(x, y, nodes[a], nodes[b]) <= EDGE_HALF_WIDTH) return FOREGROUND;
  return BACKGROUND;
}

const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 4);
  rows[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        covered++;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
      }
    }
    const at = row + 1 + x * 4;
    for (let i = 0; i < 3; i++) rows[at + i] = covered ? Math.round(sum[i] / covered) : 0;
    rows[at + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
  }
}

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

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
