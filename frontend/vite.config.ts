/// <reference types="vitest/config" />
import { cpSync, createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { constants, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const excalidrawFonts = resolve(here, "node_modules/@excalidraw/excalidraw/dist/prod/fonts");
/** Where the app serves Excalidraw's fonts; src/room/excalidrawAssets.ts points Excalidraw here. */
const FONTS_URL = "/excalidraw/fonts/";

/**
 * Self-hosts Excalidraw's fonts so the app never fetches them from a CDN: copied into the build
 * output, and served straight from node_modules by the dev server.
 */
function excalidrawFontsPlugin(): Plugin {
  return {
    name: "mockroom-excalidraw-fonts",
    configureServer(server) {
      server.middlewares.use(FONTS_URL, (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? "").split("?")[0] ?? ""));
        const file = join(excalidrawFonts, rel);
        if (!file.startsWith(excalidrawFonts) || !existsSync(file) || !statSync(file).isFile()) {
          next();
          return;
        }
        res.setHeader("Content-Type", "font/woff2");
        createReadStream(file).pipe(res);
      });
    },
    writeBundle(options) {
      const outDir = options.dir ?? resolve(here, "dist");
      cpSync(excalidrawFonts, join(outDir, FONTS_URL), { recursive: true });
    },
  };
}

const CDN_FALLBACK_START = "`https://esm.sh/";
const CDN_FALLBACK_END = "/dist/prod/`";

/**
 * Excalidraw lists a public CDN (its `ASSETS_FALLBACK_URL`) after `EXCALIDRAW_ASSET_PATH` among
 * the sources of every font face. The app's Content-Security-Policy (`font-src 'self'`) blocks it,
 * and Chromium reports a violation for each of the ~200 blocked sources on every room page; the
 * fallback is pointed at the app's own copy of the fonts instead, so nothing ever names the CDN.
 */
function excalidrawNoCdnPlugin(): Plugin {
  return {
    name: "mockroom-excalidraw-no-cdn",
    transform(code, id) {
      if (!id.includes("@excalidraw/excalidraw") || !code.includes(CDN_FALLBACK_START)) return null;
      const start = code.indexOf(CDN_FALLBACK_START);
      const end = code.indexOf(CDN_FALLBACK_END, start);
      if (end < 0 || end - start > 200) {
        this.error("Excalidraw's font CDN fallback changed shape: update excalidrawNoCdnPlugin");
      }
      const local = `\`\${window.location.origin}${FONTS_URL.replace(/fonts\/$/, "")}\``;
      return { code: code.slice(0, start) + local + code.slice(end + CDN_FALLBACK_END.length), map: null };
    },
  };
}

const COMPRESSIBLE = new Set([".js", ".css", ".html", ".svg", ".json", ".map"]);

/**
 * Writes `name.gz` next to every compressible file of the build: WhiteNoise serves it to clients
 * that accept gzip (it compresses nothing at request time), so the room's 1 MB of JavaScript
 * travels as about a third of that.
 */
function precompressPlugin(): Plugin {
  return {
    name: "mockroom-precompress",
    apply: "build",
    writeBundle(options) {
      const outDir = options.dir ?? resolve(here, "dist");
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (COMPRESSIBLE.has(extname(entry.name)) && statSync(path).size > 1024) {
            writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }));
          }
        }
      };
      walk(outDir);
    },
  };
}

/** The mode of the build the end-to-end tests drive: it alone carries their hooks on `window`. */
const E2E_MODE = "e2e";
const TEST_HOOK = "__mockroom";

/**
 * Fails any other build whose JavaScript still names a test hook: the hooks sit behind
 * `import.meta.env.MODE === "e2e"`, which the build folds to `false`, so their code must be gone.
 */
function noTestHooksPlugin(mode: string): Plugin {
  return {
    name: "mockroom-no-test-hooks",
    apply: "build",
    generateBundle(_options, bundle) {
      if (mode === E2E_MODE) return;
      for (const [name, output] of Object.entries(bundle)) {
        if (output.type === "chunk" && output.code.includes(TEST_HOOK)) {
          this.error(`${name} contains the test hook ${TEST_HOOK}; only \`vite build --mode ${E2E_MODE}\` may`);
        }
      }
    },
  };
}

const django = process.env.DJANGO_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    excalidrawFontsPlugin(),
    excalidrawNoCdnPlugin(),
    precompressPlugin(),
    noTestHooksPlugin(mode),
  ],
  build: {
    // The e2e build goes elsewhere, so that the build Django serves never has the test hooks.
    outDir: mode === E2E_MODE ? "dist-e2e" : "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: django, changeOrigin: false },
      "/admin": { target: django, changeOrigin: false },
      "/static": { target: django, changeOrigin: false },
      "/ws": { target: django, ws: true, changeOrigin: false },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup-excalidraw.ts"],
    include: ["src/**/*.test.ts"],
    server: { deps: { inline: ["@excalidraw/excalidraw"] } },
  },
}));
