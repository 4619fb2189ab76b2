# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite addon with the full toolchain.
# Node 24 LTS: the newest LTS that better-sqlite3 12 supports (its engines stop at 25.x).
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY scenarios ./scenarios
COPY policies ./policies
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and compiled output only, as an unprivileged user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    AWS_IR_DB_PATH=/data/aws-ir.db \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --chown=node:node scenarios ./scenarios
COPY --chown=node:node policies ./policies
COPY --chown=node:node src/local/public ./src/local/public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/src/app.js"]
