// Entry of the prebuilt script: esbuild wraps these exports in an IIFE assigned to `window.Faultline`.
export { addBreadcrumb, captureException, flush, init, setUser } from './index.ts';
