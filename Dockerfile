# One image for the gateway and the four subgraphs; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true
COPY package.json package-lock.json ./
# npm ci's postinstall patches a dependency (postgres.js) until its fix is released.
COPY dev/patch-dependencies.ts ./dev/patch-dependencies.ts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY lib ./lib
COPY schema ./schema
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY dev/demo-data.ts ./dev/demo-data.ts
# The cabinet's operations (npm run codegen): in production the gateway runs only these (docs/security.md).
COPY web/src/generated/persisted-documents.json ./web/src/generated/persisted-documents.json
USER node
# tsx runs the TypeScript sources as they are (esbuild, milliseconds at start); no build step to drift.
CMD ["node", "--import", "tsx", "gateway/index.ts"]
