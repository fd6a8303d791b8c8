// Python's str.strip() (src/core/pystr.ts), as the Python-based providers (Rapidly, Plane) strip.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPySpace, pyStrip } from "../../src/core/pystr.js";

// Every code point below U+3001 for which CPython 3.12's str.isspace() is true.
const PYTHON_SPACES = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];

describe("pyStrip", () => {
  it("isPySpace is true exactly for Python's whitespace (U+FEFF and U+200B are not)", () => {
    const found: number[] = [];
    for (let code = 0; code <= 0x3000 + 1; code++) if (isPySpace(code)) found.push(code);
    expect(found).toEqual(PYTHON_SPACES);
    expect(isPySpace(0xfeff)).toBe(false);
  });

  it("strips Python's whitespace from both ends and nothing inside", () => {
    const char = fc.constantFrom(...PYTHON_SPACES.map((c) => String.fromCharCode(c)), "a", "b", "\ufeff", "\u200b", "é");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }).map((cs) => cs.join("")), (s) => {
        const out = pyStrip(s);
        expect(s.includes(out)).toBe(true);
        if (out !== "") {
          expect(isPySpace(out.charCodeAt(0))).toBe(false);
          expect(isPySpace(out.charCodeAt(out.length - 1))).toBe(false);
        }
        const start = s.indexOf(out);
        for (const c of s.slice(0, start) + s.slice(start + out.length)) expect(isPySpace(c.charCodeAt(0))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes linear time on a long inner run of spaces", () => {
    const s = `x${" ".repeat(1_000_000)}y `;
    const started = Date.now();
    expect(pyStrip(s)).toBe(s.slice(0, -1));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
