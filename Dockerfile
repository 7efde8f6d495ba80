# One build of the monorepo; each service is a target of it (docker compose picks the target).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# python3/make/g++ only in case a native module has no prebuild for this platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/
COPY migrations/package.json migrations/
COPY server/package.json server/
COPY edge-agent/package.json edge-agent/
COPY hardware-sim/package.json hardware-sim/
COPY scanner-ui/package.json scanner-ui/
COPY desktop-kit/package.json desktop-kit/
COPY seller-portal/package.json seller-portal/
COPY customs-console/package.json customs-console/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app

FROM runtime AS server
ENV HTTP_PORT=3000 UI_DIST_DIR=/app/scanner-ui/dist SELLER_UI_DIST_DIR=/app/seller-portal/dist CUSTOMS_UI_DIST_DIR=/app/customs-console/dist
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js"]

FROM runtime AS edge-agent
ENV AGENT_HEALTH_PORT=8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s CMD node -e "fetch('http://127.0.0.1:8081/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "edge-agent/dist/main.js", "--config", "/config/agent.json"]

FROM runtime AS hardware-sim
# The serial emulators bridge pseudo-terminals with a small python3 helper.
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
EXPOSE 4010
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s CMD node -e "fetch('http://127.0.0.1:4010/devices').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "hardware-sim/dist/cli.js", "run", "--config", "/config/sim.json"]
