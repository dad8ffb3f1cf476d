# syntax=docker/dockerfile:1
# pathprobe image: one binary for the agent (`run`), the explainer and the CLI.
# Build:  docker build -t pathprobe:0.1.0 .
# Pin the base images by digest in your own registry mirror for reproducible builds.

# 1. Compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only (no compiler, no test tools).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime: node, the compiled code, the production modules, the example catalogs.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY probes ./probes
# The uid the rendered manifests run as (runAsUser 65532); no shell or root is needed at run time.
USER 65532:65532
EXPOSE 9477
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]
