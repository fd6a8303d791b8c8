// Python's str.strip() with no arguments, for providers written in Python (FastAPI/Pydantic
// validators, Django REST Framework fields). JavaScript's trim() differs: it strips U+FEFF,
// and keeps U+001C–U+001F and U+0085.

/** The code points Python's str.isspace() is true for. */
export function isPySpace(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20) || code === 0x85 || code === 0xa0 || code === 0x1680
    || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/**
 * `s.strip()`, by a scan from each end: linear in the string. (A `^[…]+|[…]+$` regex tries the
 * trailing run from every space of an inner run: a 1 MB body of spaces stalled the server.)
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  while (end > start && isPySpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
