// The web map: the project's own vector tiles (OGC API – Tiles of the as-of functions, served by
// `transport-etl serve`), no basemap, popups with provenance from /map/api.
import * as maplibregl from "./vendor/maplibre-gl.mjs";

const origin = window.location.origin;
const REGION = [[13.4, 50.2], [14.9, 51.05]]; // Ústecký kraj, until the data's own extent is known
// map layer group → the as-of function (schemas/820_gis_map_asof.sql) whose tiles it shows
const SOURCES = { stops: "map_stop_asof", lines: "map_line_asof", links: "map_link_asof", events: "map_road_event_asof" };

const validOn = document.getElementById("valid_on");
const knownAt = document.getElementById("known_at");
const note = document.getElementById("asof_note");

function today() {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function asofQuery() {
  const q = new URLSearchParams();
  q.set("valid_on", validOn.value || today());
  // datetime-local has no zone: the browser's own offset makes it an instant
  q.set("known_at", knownAt.value ? new Date(knownAt.value).toISOString() : "now");
  return q;
}

function tileUrl(fn) {
  return `${origin}/collections/gis.${fn}/tiles/WebMercatorQuad/{z}/{x}/{y}?${asofQuery()}`;
}

const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

const map = new maplibregl.Map({
  container: "map",
  bounds: REGION,
  attributionControl: { compact: true, customAttribution: "transport_etl · sources in each popup" },
  style: {
    version: 8,
    sources: Object.fromEntries(Object.entries(SOURCES).map(([k, fn]) => [k, {
      type: "vector", tiles: [tileUrl(fn)], minzoom: 0, maxzoom: 16,
    }])),
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f4f1ea" } },
      { id: "links", type: "line", source: "links", "source-layer": "map_link_asof",
        paint: { "line-color": ["match", ["get", "network"], "rail", "#6b6b6b", "#9a948a"],
                 "line-width": ["interpolate", ["linear"], ["zoom"], 8, 1, 14, 4],
                 "line-dasharray": ["match", ["get", "network"], "rail", ["literal", [3, 2]], ["literal", [1, 0]]] } },
      { id: "lines", type: "line", source: "lines", "source-layer": "map_line_asof",
        paint: { "line-color": "#2b83ba", "line-opacity": 0.75,
                 "line-width": ["interpolate", ["linear"], ["zoom"], 8, 1.5, 14, 5] } },
      { id: "lines-affected", type: "line", source: "lines", "source-layer": "map_line_asof",
        filter: ["==", ["get", "id"], -1],
        paint: { "line-color": "#fdae61", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 4, 14, 9] } },
      { id: "events-line", type: "line", source: "events", "source-layer": "map_road_event_asof",
        filter: ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false],
        paint: { "line-color": "#d7191c", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 4, 14, 10] } },
      { id: "events-point", type: "circle", source: "events", "source-layer": "map_road_event_asof",
        filter: ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false],
        paint: { "circle-color": "#d7191c", "circle-radius": 7, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } },
      { id: "stops", type: "circle", source: "stops", "source-layer": "map_stop_asof",
        paint: { "circle-color": "#fff", "circle-stroke-color": "#333", "circle-stroke-width": 2,
                 "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, 2.5, 14, 6] } },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl(), "top-right");
map.addControl(new maplibregl.ScaleControl(), "bottom-right");

// A test hook for the browser test and the README screenshot: the map, and whether it has settled.
window.tetlMap = { map, idle: false, popups: 0 };
map.on("idle", () => { window.tetlMap.idle = true; });
map.on("dataloading", () => { window.tetlMap.idle = false; });

// Fit to the data: the extent tipg reports for the canonical stops and the network.
Promise.all(["gis.canonical_stop_place", "gis.transport_link"].map((c) =>
  fetch(`${origin}/collections/${c}`, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null)).catch(() => null)))
  .then((cols) => {
    const boxes = cols.map((c) => c?.extent?.spatial?.bbox?.[0]).filter(Boolean);
    if (!boxes.length) return;
    const b = [Math.min(...boxes.map((x) => x[0])), Math.min(...boxes.map((x) => x[1])),
               Math.max(...boxes.map((x) => x[2])), Math.max(...boxes.map((x) => x[3]))];
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, duration: 0 });
  });

function applyAsof(event) {
  event?.preventDefault();
  for (const [k, fn] of Object.entries(SOURCES)) map.getSource(k).setTiles([tileUrl(fn)]);
  const q = asofQuery();
  note.textContent = `Network valid on ${q.get("valid_on")}, as known ${q.get("known_at") === "now" ? "now" : "at " + knownAt.value}.`;
  map.setFilter("lines-affected", ["==", ["get", "id"], -1]);
}
document.getElementById("asof").addEventListener("submit", applyAsof);
document.getElementById("now").addEventListener("click", () => { validOn.value = today(); knownAt.value = ""; applyAsof(); });
validOn.value = today();
note.textContent = `Network valid on ${validOn.value}, as known now.`;

for (const box of document.querySelectorAll("#layers input")) {
  box.addEventListener("change", () => {
    for (const id of box.dataset.layers.split(",")) map.setLayoutProperty(id, "visibility", box.checked ? "visible" : "none");
  });
}

function lineageHtml(rows) {
  if (!rows?.length) return '<div class="lineage">No provenance recorded.</div>';
  return '<div class="lineage"><b>Where it came from</b><ul class="affected">' + rows.map((r) =>
    `<li>${esc(r.source_id)} (${esc(r.source_format)}), feed version ${esc(r.feed_version_id)}` +
    `${r.feed_label ? " “" + esc(r.feed_label) + "”" : ""}${r.feed_version_is_current === false ? " (superseded)" : ""}: ` +
    `<code>${esc(r.source_file)}</code>, line ${esc(r.source_line)}` +
    `${r.match_method && r.match_method !== "source" ? " — " + esc(r.match_method) : ""}</li>`).join("") + "</ul></div>";
}

function table(props, keys) {
  return "<table>" + keys.filter((k) => props[k] !== undefined && props[k] !== null && props[k] !== "")
    .map((k) => `<tr><th>${esc(k.replace(/_/g, " "))}</th><td>${esc(props[k])}</td></tr>`).join("") + "</table>";
}

async function eventHtml(props) {
  const q = asofQuery();
  // the lines affected on the chosen date as the model knew them at the chosen moment (as the layers)
  const r = await fetch(`${origin}/map/api/road_event/${props.id}?${q}`);
  const when = esc(q.get("valid_on")) + (q.get("known_at") === "now" ? "" : ", as known at " + esc(knownAt.value));
  const data = r.ok ? await r.json() : { affected_lines: [], lineage: [] };
  const lines = data.affected_lines || [];
  const ids = lines.map((l) => l.line_code);
  map.setFilter("lines-affected", ids.length
    ? ["any", ...ids.map((c) => ["in", c, ["get", "line_codes"]])] : ["==", ["get", "id"], -1]);
  const affected = lines.length
    ? '<b>Affected lines on ' + when + '</b><ul class="affected" id="affected-lines">' + lines.map((l) =>
        `<li data-line="${esc(l.line_code)}"><b>${esc(l.line_code)}</b> ${esc(l.line_name)} — ${esc(l.journeys)} journeys` +
        `${l.affected_stops?.length ? "; stops on the closed section: " + esc(l.affected_stops.join(", ")) : ""}</li>`).join("") + "</ul>"
    : '<p id="affected-lines">No scheduled service affected on ' + when + ".</p>";
  return `<h3>${esc(props.event_type)} ${esc(props.road_number || "")}</h3>` +
    table(props, ["status", "starts_at", "ends_at", "impact", "comment", "source_id"]) + affected + lineageHtml(data.lineage);
}

async function featureHtml(layer, props) {
  const r = await fetch(`${origin}/map/api/lineage/${layer}/${props.id}`);
  const lineage = r.ok ? (await r.json()).lineage : [];
  const heads = {
    map_stop_asof: [`Stop ${esc(props.name)}`, ["local_id", "kind", "municipality", "sources", "member_count"]],
    map_line_asof: [`Line ${esc(props.line_codes)}`, ["journeys", "derived_from", "source_id"]],
    map_link_asof: [`${esc(props.network)} link ${esc(props.road_number || "")}`, ["name", "road_class", "source_id", "feed_version_id"]],
  }[layer];
  return `<h3>${heads[0]}</h3>` + table(props, heads[1]) + lineageHtml(lineage);
}

// Click: the topmost feature near the pointer (events first, then stops, lines, the network).
const CLICKABLE = ["events-point", "events-line", "stops", "lines", "links"];
map.on("click", async (e) => {
  const p = e.point;
  const hits = map.queryRenderedFeatures([[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]], { layers: CLICKABLE });
  hits.sort((a, b) => CLICKABLE.indexOf(a.layer.id) - CLICKABLE.indexOf(b.layer.id));
  const f = hits[0];
  if (!f) return;
  const layer = f.sourceLayer;
  const html = layer === "map_road_event_asof" ? await eventHtml(f.properties) : await featureHtml(layer, f.properties);
  new maplibregl.Popup({ maxWidth: "380px", anchor: "left", offset: 14 }).setLngLat(e.lngLat).setHTML(html).addTo(map);
  window.tetlMap.popups += 1;
});
for (const id of CLICKABLE) {
  map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
}
