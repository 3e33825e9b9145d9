import { inflateSync } from 'node:zlib';

/**
 * Just enough of PDF to check what Chromium printed: the page count, the fonts, and the
 * text (its content streams' glyph codes read back through each font's ToUnicode map).
 * For the PDFs Skia writes (hex strings in Identity-H fonts), not for PDF in general.
 */
export interface PdfSummary {
  pages: number;
  fonts: string[];
  title: string | null;
  /** The text of every page in drawing order, runs separated by a space. */
  text: string;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const pattern = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let match = pattern.exec(raw); match; match = pattern.exec(raw)) {
    const body = match[2] ?? '';
    const at = body.indexOf('stream');
    if (at < 0) {
      objects.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    let start = at + 'stream'.length;
    if (body[start] === '\r') start += 1;
    if (body[start] === '\n') start += 1;
    const end = body.lastIndexOf('endstream');
    let bytes = Buffer.from(body.slice(start, end), 'latin1');
    if (/\/FlateDecode/.test(dict)) {
      try {
        bytes = inflateSync(bytes);
      } catch {
        // A stream with trailing bytes before endstream: inflate what is there.
        bytes = inflateSync(bytes, { finishFlush: 2 });
      }
    }
    objects.set(Number(match[1]), { dict, stream: bytes });
  }
  return objects;
}

/** A ToUnicode CMap: glyph code (hex) → text. */
function cmapOf(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const unicode = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of text.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const [, code, to] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(code.toUpperCase(), unicode(to));
  }
  for (const block of text.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const [, lo, hi, rest] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const width = lo.length;
      const from = parseInt(lo, 16);
      const to = parseInt(hi, 16);
      const targets = rest.startsWith('[') ? (rest.match(/<([0-9A-Fa-f]+)>/g) ?? []).map((t) => t.slice(1, -1)) : null;
      for (let code = from; code <= to; code += 1) {
        const key = code.toString(16).toUpperCase().padStart(width, '0');
        if (targets) map.set(key, unicode(targets[code - from] ?? ''));
        else {
          const base = rest.slice(1, -1);
          const last = parseInt(base.slice(-4), 16) + (code - from);
          map.set(key, unicode(base.slice(0, -4) + last.toString(16).padStart(4, '0')));
        }
      }
    }
  }
  return map;
}

export function readPdf(pdf: Buffer): PdfSummary {
  const objects = objectsOf(pdf);
  const raw = pdf.toString('latin1');
  const pages = (raw.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const fonts = [...new Set([...raw.matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => (m[1] ?? '').replace(/^[A-Z]{6}\+/, '')))];
  // Font resource names (/F4) → the font's ToUnicode map, and its code width: 2 bytes in a
  // Type0 (Identity-H) font, 1 in the Type3 fonts Skia writes for synthesized bold.
  const maps = new Map<string, { digits: number; map: Map<string, string> }>();
  for (const object of objects.values()) {
    for (const [, name, ref] of object.dict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objects.get(Number(ref));
      const toUnicode = font && /\/Type\s*\/Font\b/.test(font.dict) ? /\/ToUnicode\s+(\d+) 0 R/.exec(font.dict) : null;
      const cmap = toUnicode ? objects.get(Number(toUnicode[1]))?.stream : null;
      if (font && cmap) maps.set(name, { digits: /\/Subtype\s*\/Type0/.test(font.dict) ? 4 : 2, map: cmapOf(cmap.toString('latin1')) });
    }
  }
  const runs: string[] = [];
  for (const object of objects.values()) {
    if (!object.stream || /\/Length1|\/Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType)|\/Type\s*\/Metadata/.test(object.dict)) continue;
    const content = object.stream.toString('latin1');
    if (!/\bT[Jj]\b/.test(content)) continue;
    let font: { digits: number; map: Map<string, string> } | undefined;
    for (const [, name, show] of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\]\s*TJ|<[0-9A-Fa-f]*>\s*Tj)/g)) {
      if (name) {
        font = maps.get(name);
        continue;
      }
      const digits = font?.digits ?? 4;
      const codes = new RegExp(`.{${digits}}`, 'g');
      const text = [...(show ?? '').matchAll(/<([0-9A-Fa-f]*)>/g)]
        .map(([, hex]) => (hex.match(codes) ?? []).map((code) => font?.map.get(code.toUpperCase()) ?? '').join(''))
        .join('');
      runs.push(text);
    }
  }
  const titleHex = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(raw)?.[1];
  const title = titleHex
    ? String.fromCharCode(...(titleHex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)))
    : (/\/Title\s*\(([^)]*)\)/.exec(raw)?.[1] ?? null);
  return { pages, fonts, title, text: runs.join(' ') };
}
