// Pydantic's EmailStr, which delegates to python-email-validator 2.x with
// check_deliverability=False: the reasons below are that library's messages. Polar's DNS
// deliverability check is not simulated (the simulator is offline).

export type EmailResult = { ok: true; normalized: string } | { ok: false; reason: string };

const MAX_EMAIL_LENGTH = 2048;
const ATEXT = "a-zA-Z0-9_!#\\$%&'\\*\\+\\-/=\\?\\^`\\{\\|\\}~";
const DOT_ATOM_TEXT = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const DOT_ATOM_TEXT_INTL = new RegExp(`^[${ATEXT}\\u0080-\\u{10FFFF}]+(?:\\.[${ATEXT}\\u0080-\\u{10FFFF}]+)*$`, "u");
const ATEXT_INTL_DOT_CHAR = new RegExp(`^[${ATEXT}.\\u0080-\\u{10FFFF}]$`, "u");
const ATEXT_HOSTNAME_INTL_CHAR = /^[a-zA-Z0-9\-.\u0080-\u{10FFFF}]$/u;
const PLAIN_HOSTNAME = /^[a-zA-Z0-9\-.]*$/;
const DOT_ATOM_TEXT_HOSTNAME = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)\.)*(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const SPECIAL_USE_DOMAIN_NAMES = ["arpa", "invalid", "local", "localhost", "onion", "test"];
// pydantic's pretty form: `Name <local@domain>`
const NAME_CHARS = "[\\p{L}\\p{N}_!#$%&'*+\\-/=?^`{|}~]";
const PRETTY_EMAIL = new RegExp(`^\\s*(?:((?:${NAME_CHARS}+\\s+)*${NAME_CHARS}+)|"([^"]+)")?\\s*<(.+)>\\s*$`, "u");
const CHAR_NAMES: Record<string, string> = { " ": "SPACE", "\u00a0": "NO-BREAK SPACE", "\u3000": "IDEOGRAPHIC SPACE" };

class SyntaxErr extends Error {}

/** python-email-validator's `safe_character_display`. */
function display(c: string): string {
  if (c === "\\") return `"\\"`;
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c)) return c === "'" ? `"'"` : `'${c}'`;
  const known = CHAR_NAMES[c];
  if (known) return known;
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(cp < 0xffff ? 4 : 8, "0")}`;
}

function badChars(text: string, allowed: RegExp): string[] {
  const bad = new Set<string>();
  for (const c of text) if (!allowed.test(c)) bad.add(display(c));
  return [...bad].sort();
}

/** Length in code points (Python's len), without spreading the text when it has no surrogate pair. */
function codePoints(text: string): number {
  return SURROGATE.test(text) ? [...text].length : text.length;
}
const SURROGATE = /[\uD800-\uDFFF]/;

function plural(n: number): string {
  return n === 1 ? "" : "s";
}

function checkDotAtom(label: string, startDescr: string, endDescr: string, isHostname: boolean): void {
  if (label.endsWith(".")) throw new SyntaxErr(endDescr.replace("{}", "period"));
  if (label.startsWith(".")) throw new SyntaxErr(startDescr.replace("{}", "period"));
  if (label.includes("..")) throw new SyntaxErr("An email address cannot have two periods in a row.");
  if (isHostname) {
    if (label.endsWith("-")) throw new SyntaxErr(endDescr.replace("{}", "hyphen"));
    if (label.startsWith("-")) throw new SyntaxErr(startDescr.replace("{}", "hyphen"));
    if (label.includes(".-") || label.includes("-.")) {
      throw new SyntaxErr("An email address cannot have a period and a hyphen next to each other.");
    }
  }
}

function validateLocal(local: string): void {
  if (local.length === 0) throw new SyntaxErr("There must be something before the @-sign.");
  const length = codePoints(local);
  if (length > 64) {
    const over = length - 64;
    throw new SyntaxErr(`The email address is too long before the @-sign (${over} character${plural(over)} too many).`);
  }
  if (DOT_ATOM_TEXT.test(local) || DOT_ATOM_TEXT_INTL.test(local)) return;
  const bad = badChars(local, ATEXT_INTL_DOT_CHAR);
  if (bad.length) throw new SyntaxErr(`The email address contains invalid characters before the @-sign: ${bad.join(", ")}.`);
  checkDotAtom(local, "An email address cannot start with a {}.", "An email address cannot have a {} immediately before the @-sign.", false);
  throw new SyntaxErr("The email address contains invalid characters before the @-sign.");
}

function validateDomain(raw: string): string {
  if (raw.length === 0) throw new SyntaxErr("There must be something after the @-sign.");
  if (raw.startsWith("[") && raw.endsWith("]")) {
    throw new SyntaxErr("A bracketed IP address after the @-sign is not allowed here.");
  }
  // (a plain ASCII hostname has no bad character: the per-character scan is for the others)
  const bad = PLAIN_HOSTNAME.test(raw) ? [] : badChars(raw, ATEXT_HOSTNAME_INTL_CHAR);
  if (bad.length) throw new SyntaxErr(`The part after the @-sign contains invalid characters: ${bad.join(", ")}.`);
  // UTS-46 mapping lower-cases the domain (the rest of IDNA is not simulated)
  const domain = raw.normalize("NFC").toLowerCase();
  checkDotAtom(domain, "An email address cannot have a {} immediately after the @-sign.", "An email address cannot end with a {}.", true);
  for (const label of domain.split(".")) {
    if (/^(?!xn)..--/i.test(label)) {
      throw new SyntaxErr("An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.");
    }
  }
  const ascii = /^[\x00-\x7f]*$/.test(domain);
  if (ascii && !DOT_ATOM_TEXT_HOSTNAME.test(domain)) {
    throw new SyntaxErr("The email address contains invalid characters after the @-sign after IDNA encoding.");
  }
  if (domain.length > 253) throw new SyntaxErr("The email address is too long after the @-sign.");
  for (const label of domain.split(".")) {
    if (label.length > 63) {
      const over = label.length - 63;
      throw new SyntaxErr(`After the @-sign, periods cannot be separated by so many characters (${over} character${plural(over)} too many).`);
    }
  }
  if (!domain.includes(".")) throw new SyntaxErr("The part after the @-sign is not valid. It should have a period.");
  if (!/\p{L}$/u.test(domain)) throw new SyntaxErr("The part after the @-sign is not within a valid top-level domain.");
  for (const d of SPECIAL_USE_DOMAIN_NAMES) {
    if (domain === d || domain.endsWith(`.${d}`)) {
      throw new SyntaxErr("The part after the @-sign is a special-use or reserved name that cannot be used with email.");
    }
  }
  return domain;
}

/** Validates and normalises (domain lower-cased) like pydantic's `validate_email`. */
export function validateEmail(value: string): EmailResult {
  if (value.length > MAX_EMAIL_LENGTH) return { ok: false, reason: `Length must not exceed ${MAX_EMAIL_LENGTH} characters` };
  let text = value;
  // (the pretty form needs a `<`: the regex runs only when there is one)
  const pretty = text.includes("<") ? PRETTY_EMAIL.exec(text) : null;
  if (pretty) text = pretty[3]!;
  const email = text.trim();
  try {
    if (email.includes('"')) throw new SyntaxErr("Quoted forms are not allowed here.");
    const at = email.indexOf("@");
    if (at === -1) throw new SyntaxErr("An email address must have an @-sign.");
    const local = email.slice(0, at).normalize("NFC");
    validateLocal(local);
    const domain = validateDomain(email.slice(at + 1));
    const normalized = `${local}@${domain}`;
    const length = codePoints(normalized);
    if (length > 254) {
      const over = length - 254;
      throw new SyntaxErr(`The email address is too long (${over} character${plural(over)} too many).`);
    }
    return { ok: true, normalized };
  } catch (e) {
    if (e instanceof SyntaxErr) return { ok: false, reason: e.message };
    throw e;
  }
}
