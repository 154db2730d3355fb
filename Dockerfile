# seis-intake: runs the TypeScript sources directly with tsx (no build step), as `npx seis-intake` does.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Everything but what .dockerignore leaves out (tests, archives, local services).
COPY . .
RUN mkdir -p /data/archive && chown -R node:node /data
USER node
VOLUME ["/data/archive"]
ENTRYPOINT ["node", "bin/seis-intake.js"]
CMD ["run"]
