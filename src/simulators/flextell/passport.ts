// Laravel Passport's access tokens: RS256 JWTs (`eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9....`).
// The simulator never verifies the signature: a token is known when it is in the state. The
// claims are real (`sub` = the user, `exp` = when it expires) and the signature is seeded
// random bytes of an RSA-2048 signature's length.
import type { SeededRandom } from "../../core/ids.js";

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const base64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/** A Passport access token for `userId`, issued at `iat`, expiring at `exp` (epoch seconds). */
export function passportToken(random: SeededRandom, userId: number, iat: number, exp: number): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256" }));
  const claims = { aud: "1", jti: random.hex(80), iat, nbf: iat, exp, sub: String(userId), scopes: [] };
  return `${header}.${base64url(JSON.stringify(claims))}.${random.chars(BASE64URL, 342)}`;
}
