/**
 * Loaded first (server.ts imports it before anything else), so OpenTelemetry is set up before the app's
 * modules run. Configuration comes from the environment, as it would in a deployment.
 */
import { init } from '@faultline/sdk-bridge/node';

export const config = {
  endpoint: process.env.FAULTLINE_ENDPOINT ?? 'http://127.0.0.1:4318',
  // The browser may reach the collector under another name than the backend does (e.g. behind a proxy).
  browserEndpoint: process.env.FAULTLINE_BROWSER_ENDPOINT ?? process.env.FAULTLINE_ENDPOINT ?? 'http://127.0.0.1:4318',
  key: process.env.FAULTLINE_KEY ?? '',
  release: process.env.FAULTLINE_RELEASE ?? 'checkout@1.0.0',
  environment: process.env.FAULTLINE_ENVIRONMENT ?? 'development',
  port: Number(process.env.PORT ?? 3000),
};

if (!config.key) {
  console.error(
    'FAULTLINE_KEY is not set: use the key `npm start` printed, or create one (npm run faultline -- keys create --project default), and export FAULTLINE_KEY=<key>',
  );
  process.exit(2);
}

init({ endpoint: config.endpoint, key: config.key, serviceName: 'checkout-api', release: config.release, environment: config.environment });
