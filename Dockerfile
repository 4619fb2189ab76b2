# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite addon with the full toolchain.
# Node 24 LTS: the newest LTS that better-sqlite3 12 supports (its engines stop at 25.x).
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/aws-sandbox/package.json ./packages/aws-sandbox/
COPY packages/slack-standin/package.json ./packages/slack-standin/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY scripts/copy-assets.js ./scripts/
COPY src ./src
COPY packages/aws-sandbox/tsconfig.json ./packages/aws-sandbox/
COPY packages/aws-sandbox/src ./packages/aws-sandbox/src
COPY packages/slack-standin/tsconfig.json ./packages/slack-standin/
COPY packages/slack-standin/src ./packages/slack-standin/src
# The build copies the SQL migrations next to the compiled store; an image without them could not open its database.
RUN npm run build && test -f dist/src/store/migrations/sqlite/001-scans-requests-audit.sql && npm prune --omit=dev

# Runtime stage: production dependencies and compiled output only (no tests, no benchmark), as an
# unprivileged user. The sandbox and the Slack stand-in come along for drills and local mode; a
# production start never loads them.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    AWS_IR_DB_PATH=/data/aws-ir.db \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/packages/aws-sandbox/package.json ./packages/aws-sandbox/package.json
COPY --from=build --chown=node:node /app/packages/aws-sandbox/dist ./packages/aws-sandbox/dist
COPY --chown=node:node packages/aws-sandbox/scenarios ./packages/aws-sandbox/scenarios
COPY --from=build --chown=node:node /app/packages/slack-standin/package.json ./packages/slack-standin/package.json
COPY --from=build --chown=node:node /app/packages/slack-standin/dist ./packages/slack-standin/dist
COPY --chown=node:node packages/slack-standin/public ./packages/slack-standin/public
COPY --chown=node:node policies ./policies
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/src/app.js"]
