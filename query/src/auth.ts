import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { endSession, findApiToken, findApiTokenById, isSessionEnded, type Database, type Project, type TokenInfo } from '@faultline/storage';
import { ApiError, parseCookies } from './http.ts';
import { TtlCache } from './ttl-cache.ts';

export const SESSION_COOKIE = 'faultline_session';

/**
 * Session cookies are stateless: `<tokenId>.<expiresMs>.<nonce>.<hmac>`, keyed by the stored hash of the token
 * they came from, and by FAULTLINE_SESSION_SECRET when it is set (then reading the stored hashes is not enough to
 * forge one). Every query instance can verify them, revoking the token ends its sessions, and the token itself
 * never sits in a cookie. Signing out lists the cookie's signature in `ended_sessions`, so a copy of the cookie stops
 * working too.
 */
function sign(secret: string, hash: string, tokenId: string, expires: number, nonce: string): string {
  const key = secret === '' ? hash : createHmac('sha256', secret).update(hash).digest();
  return createHmac('sha256', key).update(`${tokenId}.${expires}.${nonce}`).digest('base64url');
}

export class Authenticator {
  private readonly db: Database;
  private readonly sessionTtlMs: number;
  /** Tokens and sessions (valid or not) are checked once per 2 s: a revoked token stops working within that. */
  private readonly cache = new TtlCache<TokenInfo | null>(2_000);

  private readonly secret: string;

  constructor(db: Database, sessionTtlMs: number, secret = '') {
    this.db = db;
    this.sessionTtlMs = sessionTtlMs;
    this.secret = secret;
  }

  async verifyToken(token: string): Promise<TokenInfo | null> {
    if (token.length === 0 || token.length > 200) return null;
    return this.cache.get(`t:${token}`, () => findApiToken(this.db, token));
  }

  /** A cookie value for a verified token; null when the token is not valid. */
  async createSession(token: string): Promise<{ cookie: string; maxAgeSeconds: number } | null> {
    const info = await this.verifyToken(token);
    if (!info) return null;
    const full = await findApiTokenById(this.db, info.id);
    if (!full) return null;
    const expires = Date.now() + this.sessionTtlMs;
    // The nonce tells apart sessions of one token started in the same millisecond (signing one out keeps the other).
    const nonce = randomBytes(9).toString('base64url');
    return { cookie: `${info.id}.${expires}.${nonce}.${sign(this.secret, full.hash, info.id, expires, nonce)}`, maxAgeSeconds: Math.floor(this.sessionTtlMs / 1000) };
  }

  private async verifySession(value: string): Promise<TokenInfo | null> {
    const [id, expiresText, nonce, mac] = value.split('.');
    const expires = Number(expiresText);
    if (!id || !nonce || !mac || !Number.isFinite(expires) || expires < Date.now()) return null;
    const [full, ended] = await Promise.all([findApiTokenById(this.db, id), isSessionEnded(this.db, mac)]);
    if (!full || ended) return null;
    const expected = Buffer.from(sign(this.secret, full.hash, id, expires, nonce));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { id: full.id, projectId: full.projectId, role: full.role };
  }

  /**
   * Signs the request's session out for good: its cookie is refused from now on (on other query instances once
   * their ~2 s cache of it lapses). A cookie that is not a valid session is ignored.
   */
  async endSession(req: IncomingMessage): Promise<void> {
    const value = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!value) return;
    const key = `s:${value}`;
    if (!(await this.cache.get(key, () => this.verifySession(value)))) return;
    const [, expiresText, , mac] = value.split('.');
    await endSession(this.db, mac ?? '', Number(expiresText));
    this.cache.delete(key);
  }

  /** The caller's token from `Authorization: Bearer` or the session cookie. */
  async identify(req: IncomingMessage): Promise<TokenInfo | null> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match?.[1] ? this.verifyToken(match[1]) : null;
    }
    const session = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return session ? this.cache.get(`s:${session}`, () => this.verifySession(session)) : null;
  }
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

export function canSee(token: TokenInfo, project: Project): boolean {
  return token.role === 'instance_admin' || token.projectId === project.id;
}

export function requireWrite(token: TokenInfo): void {
  if (token.role === 'read') throw new ApiError(403, 'forbidden', 'this token is read-only');
}
