# seis-intake: runs the compiled build of the TypeScript sources (bin/build.js), as `npx seis-intake` does.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Reading scans: Tesseract with the Thai model, and poppler for PDF text layers and page images.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng \
      tesseract-ocr-osd poppler-utils && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Everything but what .dockerignore leaves out (tests, archives, local services).
COPY . .
# Compiled now, as root: at run time the image is read-only to the node user (it would fall back to tsx).
RUN node bin/build.js
RUN mkdir -p /data/archive && chown -R node:node /data
USER node
VOLUME ["/data/archive"]
# V8's young generation at 2 × 8 MB instead of 2 × 16 MB: `run` peaks 36–47 MB lower on a 25 MB PDF / 50 MB ZIP
# message, 13 MB lower idle, for the same CPU within the noise (README, Benchmark).
ENTRYPOINT ["node", "--max-semi-space-size=8", "bin/seis-intake.js"]
CMD ["run"]
