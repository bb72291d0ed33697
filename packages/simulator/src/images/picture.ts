import type { Size } from '../catalog/types.js';
import { hashString, seededRandom } from '../random.js';

/** Written on every generated picture: a simulator image must never pass for a real model output. */
export const SIMULATED_MARK = 'SIMULATED';
const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/**
 * Makes prompt text safe inside the SVG that sharp renders: markup characters become entities, and characters
 * XML forbids outright (control characters, U+FFFE/U+FFFF, lone surrogates) become U+FFFD, which would
 * otherwise make the renderer throw on prompts users are free to send.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function hsl(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return `#${[channel(0), channel(8), channel(4)].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** The prompt in at most two lines that fit the width (roughly 0.6 em per character). */
function promptLines(prompt: string, width: number, fontSize: number): string[] {
  const perLine = Math.max(8, Math.floor(width / (fontSize * 0.6)));
  const words = prompt.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [''];
  for (const word of words) {
    const current = lines[lines.length - 1]!;
    if ((current + ' ' + word).trim().length <= perLine) lines[lines.length - 1] = (current + ' ' + word).trim();
    else if (lines.length < 2) lines.push(word.slice(0, perLine));
    else {
      lines[1] = `${lines[1]!.slice(0, perLine - 1)}…`;
      break;
    }
  }
  return lines.filter((line) => line !== '');
}

/**
 * The caption band (prompt) and the SIMULATED badge, shared by generated and edited pictures. Edits use an
 * opaque band so the source's own labels do not show through.
 */
function labels(size: Size, prompt: string, note: string, opaque: boolean): string {
  const bandOpacity = opaque ? 1 : 0.45;
  const unit = Math.max(6, Math.round(Math.min(size.width, size.height) * 0.035));
  const pad = unit;
  const lines = promptLines(prompt, size.width - 2 * pad, unit);
  const bandHeight = lines.length * unit * 1.3 + pad;
  const bandTop = size.height - bandHeight;
  const caption = lines
    .map((line, i) => `<text x="${pad}" y="${bandTop + pad / 2 + (i + 1) * unit * 1.15}" font-size="${unit}">${escapeXml(line)}</text>`)
    .join('');
  const badge = unit * 1.4;
  return (
    `<g font-family="${FONT}" fill="#ffffff">` +
    (lines.length > 0 ? `<rect x="0" y="${bandTop}" width="${size.width}" height="${bandHeight}" fill="#000000" fill-opacity="${bandOpacity}"/>${caption}` : '') +
    (opaque ? `<rect x="0" y="0" width="${size.width}" height="${pad + badge * 1.5 + unit * 1.2}" fill="#000000"/>` : '') +
    `<rect x="${pad / 2}" y="${pad / 2}" width="${badge * 6.4}" height="${badge * 1.5}" rx="${badge / 4}" fill="#d0021b" fill-opacity="0.9"/>` +
    `<text x="${pad / 2 + badge * 0.3}" y="${pad / 2 + badge * 1.1}" font-size="${badge}" font-weight="bold">${SIMULATED_MARK}</text>` +
    `<text x="${pad / 2}" y="${pad / 2 + badge * 1.5 + unit}" font-size="${unit * 0.8}" fill-opacity="0.9">${escapeXml(note)}</text>` +
    `</g>`
  );
}

function shapes(random: () => number, size: Size, count: number, opacity: number): string {
  const out: string[] = [];
  const scale = Math.min(size.width, size.height);
  for (let i = 0; i < count; i++) {
    const x = random() * size.width;
    const y = random() * size.height;
    const r = scale * (0.08 + random() * 0.22);
    const fill = hsl(random() * 360, 60 + random() * 30, 45 + random() * 25);
    if (random() < 0.5) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`);
    else {
      const angle = Math.round(random() * 90);
      out.push(
        `<rect x="${(x - r).toFixed(1)}" y="${(y - r / 2).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${r.toFixed(1)}" rx="${(r / 6).toFixed(1)}" ` +
          `fill="${fill}" fill-opacity="${opacity}" transform="rotate(${angle} ${x.toFixed(1)} ${y.toFixed(1)})"/>`,
      );
    }
  }
  return out.join('');
}

function svg(size: Size, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">${body}</svg>`;
}

/**
 * A deterministic picture for a prompt and seed: a gradient and shapes whose colours and places come from
 * hash(prompt, seed), with the prompt written small and a SIMULATED badge.
 */
export function pictureSvg(prompt: string, seed: number, size: Size): string {
  const random = seededRandom(hashString(`${prompt}\u0000${seed}`));
  const hue = random() * 360;
  const from = hsl(hue, 65, 62);
  const to = hsl((hue + 90 + random() * 120) % 360, 60, 28);
  const angle = Math.round(random() * 360);
  return svg(
    size,
    `<defs><linearGradient id="sky" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
      `<rect width="${size.width}" height="${size.height}" fill="url(#sky)"/>` +
      shapes(random, size, 7, 0.6) +
      labels(size, prompt, `dotbase simulator · seed ${seed}`, false),
  );
}

/** What an "edit" lays over its source: a colour wash and outlines chosen by the prompt, plus the labels. */
export function editOverlaySvg(prompt: string, seed: number, size: Size): string {
  const random = seededRandom(hashString(`edit\u0000${prompt}\u0000${seed}`));
  const wash = hsl(random() * 360, 80, 50);
  return svg(
    size,
    `<rect width="${size.width}" height="${size.height}" fill="${wash}" fill-opacity="0.35"/>` +
      shapes(random, size, 4, 0.35) +
      labels(size, prompt, `dotbase simulator · edited · seed ${seed}`, true),
  );
}
