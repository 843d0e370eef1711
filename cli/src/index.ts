export * from './config.ts';
export * from './start.ts';
export * from './bootstrap.ts';
export { main } from './main.ts';
