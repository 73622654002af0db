"""GTFS calendars against the public holidays of the feed's country: a service whose calendar.txt weekday
pattern runs on a public holiday with no calendar_dates exception for that day is reported (INFO,
`service_on_public_holiday`), one notice per service with the dates — usually a publisher who forgot the
holiday. Country: options.holidays (CZ, SK, DE-SN, DE-BY, …); without it, CZ for feeds whose agencies
are in Europe/Prague, and no check for others."""

from __future__ import annotations

from transport_etl import public_holidays
from transport_etl.ingest.context import LoadContext

CZECH_TIMEZONES = ("Europe/Prague",)


def holiday_country(ctx: LoadContext) -> str | None:
    if ctx.options.get("holidays"):
        return str(ctx.options["holidays"])
    tz = ctx.conn.execute("SELECT min(agency_timezone) FROM staging.gtfs_agency WHERE feed_version_id = %s",
                          (ctx.feed_version_id,)).fetchone()[0]
    return public_holidays.DEFAULT if tz in CZECH_TIMEZONES else None


def check_service_on_holidays(ctx: LoadContext) -> None:
    spec = holiday_country(ctx)
    if spec is None:
        return
    span = ctx.conn.execute("SELECT min(start_date), max(end_date) FROM staging.gtfs_calendar "
                            "WHERE feed_version_id = %s", (ctx.feed_version_id,)).fetchone()
    if span[0] is None:
        return
    days = sorted(d for d in public_holidays.between(spec, span[0], span[1]) if span[0] <= d <= span[1])
    if not days:
        return
    rows = ctx.conn.execute(
        """SELECT c.service_id, c.line_no, array_agg(h.d ORDER BY h.d)
           FROM staging.gtfs_calendar c
           CROSS JOIN unnest(%s::date[]) AS h(d)
           WHERE c.feed_version_id = %s AND h.d BETWEEN c.start_date AND c.end_date
             AND (ARRAY[c.monday, c.tuesday, c.wednesday, c.thursday, c.friday, c.saturday, c.sunday])
                 [extract(isodow FROM h.d)::int] = 1
             AND extract(isodow FROM h.d) BETWEEN 1 AND 6
             AND NOT EXISTS (SELECT 1 FROM staging.gtfs_calendar_dates x
                             WHERE x.feed_version_id = c.feed_version_id AND x.service_id = c.service_id
                               AND x.date = h.d)
           GROUP BY c.service_id, c.line_no ORDER BY c.line_no""", (days, ctx.feed_version_id)).fetchall()
    for service_id, line_no, dates in rows:
        listed = ", ".join(d.isoformat() for d in dates[:6]) + (" …" if len(dates) > 6 else "")
        ctx.notice("service_on_public_holiday", "INFO", f"service {service_id} runs by its weekday pattern on "
                   f"{len(dates)} public holiday(s) of {spec} with no calendar_dates exception: {listed}",
                   file_name="calendar.txt", line_no=line_no, entity_key=service_id)
