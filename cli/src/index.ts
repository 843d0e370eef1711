export * from './config.ts';
export * from './start.ts';
export * from './bootstrap.ts';
export { main } from './main.ts';
export { StartError } from './start-errors.ts';
