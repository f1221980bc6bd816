# SOC Copilot: the bot as a container (Azure Container Apps, App Service for Containers, Kubernetes).
#   docker build -t soc-copilot . && docker run -p 3978:3978 --env-file .env soc-copilot
# Configuration is environment variables only (docs/configuration.md); the image holds no secrets.

# ---- build: all dependencies, compile src/ to dist/ ----------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to compiling from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json ./
COPY src ./src
# `prepare` builds dist/ after the install.
RUN npm ci --no-audit --no-fund

# ---- runtime: production dependencies and dist/ only, as a non-root user --------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    STORE_DIRECTORY=/app/data
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY --from=build /app/dist ./dist
# Install scripts run (better-sqlite3 fetches or compiles its native binary). `prepare` (npm run build) would need
# the dev dependencies; dist/ is already built, so it is dropped from this copy of package.json.
RUN npm pkg delete scripts.prepare \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/index.js"]
