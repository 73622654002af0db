// Builds web/dist/: the map's own files (src/) and MapLibre GL JS from node_modules (npm ci), copied
// as they are — MapLibre's ES module finds its worker beside itself — so the page needs no CDN.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const maplibre = join(here, "node_modules", "maplibre-gl");
if (!existsSync(join(maplibre, "dist", "maplibre-gl.mjs"))) {
  console.error("web: node_modules/maplibre-gl missing: run `npm ci` in web/ first");
  process.exit(1);
}
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "vendor"), { recursive: true });
for (const f of ["maplibre-gl.mjs", "maplibre-gl-worker.mjs", "maplibre-gl.css"]) {
  cpSync(join(maplibre, "dist", f), join(dist, "vendor", f));
}
cpSync(join(maplibre, "LICENSE.txt"), join(dist, "vendor", "MAPLIBRE-LICENSE.txt"));
cpSync(join(here, "src"), dist, { recursive: true });
console.log(`web: map built in ${dist}`);
