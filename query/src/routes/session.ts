import { z } from 'zod';
import { clearSessionCookieHeader, sessionCookieHeader, type Authenticator } from '../auth.ts';
import { ApiError } from '../http.ts';
import { route, type Route } from '../router.ts';

export function sessionRoutes(auth: Authenticator, secureCookies: boolean): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/v1/session',
      summary: 'Sign the browser in: exchanges a token for an HttpOnly, SameSite=Strict session cookie.',
      access: 'public',
      body: z.object({ token: z.string().min(1).max(200) }),
      async handler({ body }) {
        const session = await auth.createSession(body.token.trim());
        if (!session) throw new ApiError(401, 'unauthenticated', 'invalid or revoked token');
        return { status: 204, headers: { 'set-cookie': sessionCookieHeader(session.cookie, session.maxAgeSeconds, secureCookies) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/session',
      summary: 'Sign out: ends the session (its cookie is refused from then on, also where a copy of it sits) and clears the cookie.',
      access: 'public',
      async handler({ req }) {
        await auth.endSession(req);
        return { status: 204, headers: { 'set-cookie': clearSessionCookieHeader() } };
      },
    }),
  ];
}
