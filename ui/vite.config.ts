import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import process from 'node:process';
import { defineConfig } from 'vite';

const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

// Single-page app served by the Faultline query server: every unknown non-API path
// gets build/index.html, which boots the client-side router.
export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
      paths: { base: '' },
      csp: {
        mode: 'hash',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          // Kit's route announcer (a visually hidden live region) carries one fixed inline style
          // attribute; allow exactly that attribute by hash. If a Kit upgrade changes it, the
          // browser blocks it and the #svelte-announcer rule in app.css keeps it hidden anyway.
          'style-src': ['self', 'unsafe-hashes', ANNOUNCER_STYLE_HASH],
          'img-src': ['self', 'data:'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
        },
      },
      version: { pollInterval: 0 },
    }),
  ],
  // `npm run dev`: API calls go to a running query server, or to the dev/mock-server.ts stand-in.
  server: { proxy: { '/api': process.env.FAULTLINE_API_URL ?? 'http://127.0.0.1:5180' } },
});
