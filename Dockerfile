# Faultline against a ClickHouse server (see docker-compose.yml). The embedded engine (chDB) is installed
# with the other dependencies but never loaded when FAULTLINE_CLICKHOUSE_URL is set.
FROM node:24-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm cache clean --force
ENV FAULTLINE_HOST=0.0.0.0 \
    NODE_ENV=production
EXPOSE 4317 4318 8080
USER node
CMD ["node", "bin/faultline.ts", "start"]
