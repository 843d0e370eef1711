export * from './server.ts';
export type { Route } from './router.ts';
export { routeTable } from './route-table.ts';
export { AlertEvaluator, type AlertEvaluatorOptions } from './alerts/evaluator.ts';
