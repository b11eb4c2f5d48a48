# torlogs services image (docker-compose.yml): `node bin/torlogs.mjs serve --only <service>`, `... migrate`, any
# other torlogs command. Build: docker build -t torlogs .
# Stage 1 compiles the TypeScript with the dev dependencies; stage 2 carries the compiled code and the production
# dependencies only (chdb's prebuilt engine comes from its platform package: no compiler needed), runs as non-root.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY services ./services
COPY shared ./shared
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production TZ=UTC TORLOGS_HTTP_HOST=0.0.0.0 TORLOGS_DATA_DIR=/data TORLOGS_REPORTS_DIR=/reports
WORKDIR /app
# application files stay owned by root (read-only for the service user); only /data and /reports are writable
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN groupadd --system --gid 10001 torlogs \
 && useradd --system --uid 10001 --gid torlogs --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin torlogs \
 && mkdir -p /data /reports /geo \
 && chown torlogs:torlogs /data /reports
USER 10001:10001
EXPOSE 8080
CMD ["node", "bin/torlogs.mjs", "--help"]
