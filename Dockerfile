# dotbase server in a container: the HTTP API, the widget at / and embedded storage in /data.
#
#   docker build -t dotbase .
#   docker run -p 8787:8787 -v dotbase-data:/data \
#     -e REPLICATE_API_TOKENS=r8_a,r8_b -e DOTBASE_API_KEYS=backend:<a long random key> dotbase
#
# In a container the server listens on 0.0.0.0, so it refuses to start without authentication
# (DOTBASE_API_KEYS or TELEGRAM_BOT_TOKEN); see docs/deployment.md for every variable.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/core/package.json packages/core/
COPY packages/scale/package.json packages/scale/
COPY packages/server/package.json packages/server/
COPY packages/simulator/package.json packages/simulator/
COPY packages/widget/package.json packages/widget/
COPY examples examples
COPY bench bench
RUN npx --yes pnpm@10.34.8 install --frozen-lockfile
COPY . .
RUN npx --yes pnpm@10.34.8 --filter @dotbase/widget build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DOTBASE_DATA_DIR=/data
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
WORKDIR /app/packages/server
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tsx runs the TypeScript sources the workspace links to; SIGTERM shuts down gracefully (running generations
# are picked up again on the next start).
CMD ["node", "--import", "tsx", "src/cli.ts", "serve"]
