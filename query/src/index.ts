export * from './server.ts';
export type { Route } from './router.ts';
