import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { findApiToken, findApiTokenById, type Database, type Project, type TokenInfo } from '@faultline/storage';
import { ApiError, parseCookies } from './http.ts';
import { TtlCache } from './ttl-cache.ts';

export const SESSION_COOKIE = 'faultline_session';

/**
 * Session cookies are stateless: `<tokenId>.<expiresMs>.<hmac>`, keyed by the stored hash of the token
 * they came from. Every query instance can verify them, revoking the token ends its sessions, and the
 * token itself never sits in a cookie.
 */
function sign(hash: string, tokenId: string, expires: number): string {
  return createHmac('sha256', hash).update(`${tokenId}.${expires}`).digest('base64url');
}

export class Authenticator {
  private readonly db: Database;
  private readonly sessionTtlMs: number;
  /** Tokens and sessions (valid or not) are checked once per 2 s: a revoked token stops working within that. */
  private readonly cache = new TtlCache<TokenInfo | null>(2_000);

  constructor(db: Database, sessionTtlMs: number) {
    this.db = db;
    this.sessionTtlMs = sessionTtlMs;
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
    return { cookie: `${info.id}.${expires}.${sign(full.hash, info.id, expires)}`, maxAgeSeconds: Math.floor(this.sessionTtlMs / 1000) };
  }

  private async verifySession(value: string): Promise<TokenInfo | null> {
    const [id, expiresText, mac] = value.split('.');
    const expires = Number(expiresText);
    if (!id || !mac || !Number.isFinite(expires) || expires < Date.now()) return null;
    const full = await findApiTokenById(this.db, id);
    if (!full) return null;
    const expected = Buffer.from(sign(full.hash, id, expires));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { id: full.id, projectId: full.projectId, role: full.role };
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
