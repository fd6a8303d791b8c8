// CPython's strict UTF-8 decoding as a stream reader does it (codecs.StreamReader.read, as
// Django REST Framework's JSONParser reads a body): the first bad sequence is a
// UnicodeDecodeError with CPython's words; an incomplete sequence at the very end is dropped.

const isCont = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;

export type PyUtf8 = { ok: true; text: string } | { ok: false; message: string };

function failure(bytes: Uint8Array, start: number, end: number, reason: string): PyUtf8 {
  const message = end - start === 1
    ? `'utf-8' codec can't decode byte 0x${bytes[start]!.toString(16).padStart(2, "0")} in position ${start}: ${reason}`
    : `'utf-8' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`;
  return { ok: false, message };
}

/** Decodes `bytes` as CPython's utf-8 StreamReader.read() would (errors="strict"). */
export function pythonUtf8Decode(bytes: Uint8Array): PyUtf8 {
  const n = bytes.length;
  let i = 0;
  let complete = n;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return failure(bytes, i, i + 1, "invalid start byte");
    // the second byte has the lead's own range; later ones are plain continuations
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) {
        // a valid prefix cut off by the end of the body: the reader keeps it for more data
        complete = i;
        i = n;
        break;
      }
      const ok = k === 1 ? c >= lo && c <= hi : isCont(c);
      if (!ok) return failure(bytes, i, i + k, "invalid continuation byte");
    }
    if (i < n) i += need + 1;
  }
  return { ok: true, text: new TextDecoder("utf-8").decode(bytes.subarray(0, complete)) };
}
