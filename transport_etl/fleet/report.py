"""`transport-etl fleet report`: an HTML page (with PNG plots beside it) the transport department can
read: utilisation by vehicle, energy by month and temperature season, charging locations on a map of
the road network, the public-transport substitution table and the figures of a fleet strategy.
figures.json beside it holds the same numbers for machines."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.fleet.analysis import IDLE_UTILISATION, RADIUS_M, WINDOW_MIN, refresh

SEASON_COLOURS = {"winter": "#3b6fb6", "spring": "#5aa05a", "summer": "#e0a030", "autumn": "#a0522d"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def plot_utilisation(fig_data: dict[str, Any], path: Path) -> None:
    plt = _plt()
    rows = sorted(fig_data["utilisation"].items(), key=lambda kv: kv[1]["utilisation"])
    fig, ax = plt.subplots(figsize=(8, max(3, 0.3 * len(rows) + 1)))
    ax.barh([v for v, _ in rows], [r["utilisation"] * 100 for _, r in rows],
            color=["#c44" if r["utilisation"] < IDLE_UTILISATION else "#3b6fb6" for _, r in rows])
    ax.axvline(IDLE_UTILISATION * 100, color="#c44", linestyle="--", linewidth=1)
    ax.set_xlabel("working days used, %")
    ax.set_title("Utilisation by vehicle (red: idle)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_energy(months: list[tuple], path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 3.5))
    labels = [m.strftime("%Y-%m") for m, _s, _k, _e in months]
    ax.bar(labels, [float(k or 0) for _m, _s, k, _e in months],
           color=[SEASON_COLOURS.get(s, "#888") for _m, s, _k, _e in months])
    for i, (_m, s, k, e) in enumerate(months):
        ax.annotate(f"{s}\n{float(e or 0):.0f} kWh", (i, float(k or 0)), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("kWh / 100 km")
    ax.set_title("Energy by month and temperature season")
    ax.set_ylim(0, max([float(k or 0) for _m, _s, k, _e in months] + [1]) * 1.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_charging_map(conn: psycopg.Connection, path: Path) -> None:
    from shapely import wkb

    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 6))
    for (g,) in conn.execute("SELECT ST_AsBinary(geom) FROM unified.transport_link WHERE network = 'road' "
                             "AND recorded_to IS NULL"):
        line = wkb.loads(bytes(g))
        xs, ys = line.xy
        ax.plot(xs, ys, color="#bbb", linewidth=0.8)
    points = conn.execute("""
        SELECT p.name, p.access, ST_X(p.geom), ST_Y(p.geom), coalesce(sum(s.energy_kwh), 0)
        FROM unified.fleet_charging_point p
        LEFT JOIN unified.fleet_charging_session s ON s.charging_point_id = p.id AND s.recorded_to IS NULL
        WHERE p.recorded_to IS NULL AND p.geom IS NOT NULL GROUP BY p.id, p.name, p.access, p.geom""").fetchall()
    depot = [(x, y, float(kwh)) for _n, access, x, y, kwh in points if access == "private"]
    for name, access, x, y, kwh in points:
        colour = "#2a8a2a" if access == "private" else "#3b6fb6"
        ax.scatter([x], [y], s=12 + float(kwh) ** 0.8, color=colour, alpha=0.7 if kwh else 0.25, edgecolors="k",
                   linewidths=0.3)
        if kwh and access != "private":
            ax.annotate(f"{name} ({float(kwh):.0f} kWh)", (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points")
    if depot:  # the depot's chargers stand side by side: one label for all of them
        ax.annotate(f"depot: {len(depot)} chargers ({sum(k for *_, k in depot):.0f} kWh)",
                    (sum(x for x, *_ in depot) / len(depot), sum(y for _, y, _ in depot) / len(depot)), fontsize=7,
                    xytext=(6, -10), textcoords="offset points", color="#2a6a2a")
    ax.set_aspect("equal")
    ax.set_title("Charging locations (green: depot, blue: public; size: energy charged)")
    ax.set_xlabel("EPSG:5514 x")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _table(head: list[str], rows: list[tuple]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def build_report(conn: psycopg.Connection, out_dir: Path, log=print) -> dict[str, Any]:
    """Refresh the analysis and write out_dir/index.html, its PNG plots and figures.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    f = refresh(conn, log=lambda _m: None)
    months = conn.execute("""
        SELECT date_trunc('month', started_at AT TIME ZONE 'Europe/Prague')::date AS m, min(season),
               round((sum(energy_kwh) / nullif(sum(distance_km) FILTER (WHERE energy_kwh IS NOT NULL), 0) * 100)::numeric, 2),
               sum(energy_kwh)
        FROM unified.fleet_trip WHERE recorded_to IS NULL GROUP BY 1 ORDER BY 1""").fetchall()
    plot_utilisation(f, out_dir / "utilisation.png")
    plot_energy(months, out_dir / "energy_by_month.png")
    plot_charging_map(conn, out_dir / "charging_map.png")
    servable = conn.execute("""
        SELECT vehicle_id, to_char(started_at AT TIME ZONE 'Europe/Prague', 'YYYY-MM-DD HH24:MI'), origin_stop,
               destination_stop, line_code, to_char(pt_departure AT TIME ZONE 'Europe/Prague', 'HH24:MI'),
               departure_offset_min, car_minutes, pt_minutes, time_ratio
        FROM unified.fleet_trip_substitution WHERE servable ORDER BY started_at""").fetchall()
    (out_dir / "figures.json").write_text(json.dumps(f, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (out_dir / "index.html").write_text(_html(f, servable), encoding="utf-8")
    log(f"fleet report: {out_dir / 'index.html'}")
    return f


def _html(f: dict[str, Any], servable: list[tuple]) -> str:
    e = html.escape
    share = f["pt_servable_trips"] / f["pt_trips_checked"] if f["pt_trips_checked"] else 0
    strategy = [
        ("Vehicles in the fleet", f["fleet_size"]),
        ("Trips analysed / km driven", f"{f['trips']} / {f['km']:,.0f} km"),
        ("Peak simultaneous use (cars needed at once, ever)", f"{f['peak_simultaneous_use']} (at {f['peak_at']})"),
        ("Cars needed on 95 % of days", f["p95_daily_peak"]),
        ("Fleet the observed demand requires (95 % day + 1 reserve)", f["recommended_fleet"]),
        ("Cars that could go to a shared pool", ", ".join(f["replaceable_by_pool"]) or "none"),
        (f"Idle cars (used on < {IDLE_UTILISATION:.0%} of working days)", ", ".join(f["idle_vehicles"]) or "none"),
        ("Trips public transport could have served", f"{f['pt_servable_trips']} of {f['pt_trips_checked']} ({share:.0%})"),
        ("Cars with most trips servable by public transport", ", ".join(f["pt_replaceable_vehicles"]) or "none"),
        ("Energy use", f"{f['kwh_per_100km']} kWh/100 km; by season "
                       + ", ".join(f"{k} {v}" for k, v in sorted(f["kwh_per_100km_by_season"].items()))),
        ("Charged at the depot / in public", f"{f['depot_kwh']:,.0f} kWh / {f['public_kwh']:,.0f} kWh"),
        ("Depot charging needed", f"{f['depot_wallboxes_needed']} × 11 kW wallboxes ({f['depot_power_kw_needed']} kW); "
                                  f"peak {f['depot_peak_sessions']} cars charging at once, "
                                  f"max {f['depot_max_daily_kwh']} kWh a day"),
    ]
    util_rows = [(v, r["trips"], r["km"], r["days_used"], r["working_days"], f"{r['utilisation']:.0%}",
                  f"{r['pt_servable_share']:.0%}") for v, r in sorted(f["utilisation"].items())]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Regional office fleet: report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left}}th{{background:#eee}}img{{max-width:100%}}</style>
</head><body>
<h1>The regional office's electric fleet</h1>
<h2>Figures for the fleet strategy</h2>
{_table(["figure", "value"], strategy)}
<h2>Utilisation by vehicle</h2><img src="utilisation.png" alt="utilisation by vehicle">
{_table(["vehicle", "trips", "km", "days used", "working days", "utilisation", "trips servable by PT"], util_rows)}
<h2>Energy by month and temperature season</h2><img src="energy_by_month.png" alt="energy by month">
<h2>Where the fleet charges</h2><img src="charging_map.png" alt="charging locations">
<h2>Trips public transport could have served</h2>
<p>A journey that ran within ±{WINDOW_MIN:.0f} min of the trip's start from a stop within {RADIUS_M:.0f} m of its
origin to a stop within {RADIUS_M:.0f} m of its destination; time ratio = public transport in-vehicle time / car time.</p>
{_table(["vehicle", "trip start", "from stop", "to stop", "line", "departs", "offset min", "car min", "PT min",
         "time ratio"], servable)}
<p>{e(str(f['pt_served_places_trips']))} trips ran between places some line serves (on any day and time).</p>
</body></html>
"""
