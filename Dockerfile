# Faultline. With FAULTLINE_CLICKHOUSE_URL (docker-compose.yml) it runs against a ClickHouse server; without it,
# on the embedded engine (chDB) with its data in the /app/data volume.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# npm ci builds the UI and the SDK bridge (postinstall); the dev tools they needed are then dropped.
RUN npm ci --no-audit --no-fund \
    && npm prune --omit=dev --no-audit --no-fund \
    && npm cache clean --force

FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
ENV FAULTLINE_HOST=0.0.0.0 \
    FAULTLINE_DATA_DIR=/app/data \
    NODE_ENV=production
VOLUME /app/data
EXPOSE 4317 4318 8080
USER node
# Ready = storage reachable and migrated: the query API's /readyz; the collector's only when nothing listens on the
# query port (a collector-only role) — a query API answering "not ready" is unhealthy.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "const e=process.env,u=p=>fetch('http://127.0.0.1:'+p+'/readyz');u(e.FAULTLINE_HTTP_PORT||8080).catch(()=>u(e.FAULTLINE_OTLP_HTTP_PORT||4318)).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bin/faultline.ts", "start"]
