-- JDF staging: one table per JDF file, one row per record, columns named alike for 1.9/1.10/1.11
-- (transport_etl/sources/regional/jdf/layouts.py); plus the derived trip calendars and calls.

CREATE TABLE IF NOT EXISTS staging.jdf_verzejdf (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    version text,
    du_number text,
    district text,
    batch_id text,
    created text,
    generator text
);
CREATE INDEX IF NOT EXISTS jdf_verzejdf_fv ON staging.jdf_verzejdf (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_verzejdf IS 'VerzeJDF.txt: format version and batch identification. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_verzejdf.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_verzejdf.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_verzejdf.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_verzejdf.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_verzejdf.version IS 'JDF version (1.9, 1.10, 1.11).';
COMMENT ON COLUMN staging.jdf_verzejdf.du_number IS 'Transport authority (DÚ) number.';
COMMENT ON COLUMN staging.jdf_verzejdf.district IS 'District/region of the batch.';
COMMENT ON COLUMN staging.jdf_verzejdf.batch_id IS 'Batch identifier.';
COMMENT ON COLUMN staging.jdf_verzejdf.created IS 'Batch creation date (DDMMRRRR).';
COMMENT ON COLUMN staging.jdf_verzejdf.generator IS 'Name of the producing software or author.';

CREATE TABLE IF NOT EXISTS staging.jdf_zastavky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    stop_no text,
    town text,
    part text,
    place text,
    nearby_town text,
    country text,
    code1 text,
    code2 text,
    code3 text,
    code4 text,
    code5 text,
    code6 text
);
CREATE INDEX IF NOT EXISTS jdf_zastavky_fv ON staging.jdf_zastavky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_zastavky IS 'Zastavky.txt: stops of the batch (batch-local or CIS JŘ register numbers). Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_zastavky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_zastavky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_zastavky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_zastavky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_zastavky.stop_no IS 'Stop number (batch-local 1..N, or the CIS JŘ register number).';
COMMENT ON COLUMN staging.jdf_zastavky.town IS 'Town (obec) part of the stop name.';
COMMENT ON COLUMN staging.jdf_zastavky.part IS 'Part of town (část obce) of the stop name.';
COMMENT ON COLUMN staging.jdf_zastavky.place IS 'Nearer place (bližší místo) of the stop name.';
COMMENT ON COLUMN staging.jdf_zastavky.nearby_town IS 'Nearby large town column; in practice the two-letter district (okres) code, e.g. UL.';
COMMENT ON COLUMN staging.jdf_zastavky.country IS 'State code (CZ, SK, D, ...).';
COMMENT ON COLUMN staging.jdf_zastavky.code1 IS 'Fixed code 1: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zastavky.code2 IS 'Fixed code 2: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zastavky.code3 IS 'Fixed code 3: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zastavky.code4 IS 'Fixed code 4: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zastavky.code5 IS 'Fixed code 5: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zastavky.code6 IS 'Fixed code 6: a Pevnykod number (see staging.jdf_pevnykod).';

CREATE TABLE IF NOT EXISTS staging.jdf_oznacniky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    stop_no text,
    post_code text,
    name text,
    direction text,
    platform text
);
CREATE INDEX IF NOT EXISTS jdf_oznacniky_fv ON staging.jdf_oznacniky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_oznacniky IS 'Oznacniky.txt: stop posts (označníky) of the stops of the batch. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_oznacniky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_oznacniky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_oznacniky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_oznacniky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_oznacniky.stop_no IS 'Stop number (batch-local 1..N, or the CIS JŘ register number).';
COMMENT ON COLUMN staging.jdf_oznacniky.post_code IS 'Stop-post (označník) code of the national register.';
COMMENT ON COLUMN staging.jdf_oznacniky.name IS 'Name as published.';
COMMENT ON COLUMN staging.jdf_oznacniky.direction IS 'Direction / description of the post.';
COMMENT ON COLUMN staging.jdf_oznacniky.platform IS 'Platform (stanoviště) label for the public.';

CREATE TABLE IF NOT EXISTS staging.jdf_dopravci (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    ico text,
    dic text,
    name text,
    company_type text,
    person text,
    address text,
    phone_office text,
    phone_dispatch text,
    phone_info text,
    fax text,
    email text,
    www text,
    carrier_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_dopravci_fv ON staging.jdf_dopravci (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_dopravci IS 'Dopravci.txt: carriers. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_dopravci.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_dopravci.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_dopravci.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_dopravci.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_dopravci.ico IS 'Carrier company id (IČ).';
COMMENT ON COLUMN staging.jdf_dopravci.dic IS 'Carrier tax id (DIČ).';
COMMENT ON COLUMN staging.jdf_dopravci.name IS 'Name as published.';
COMMENT ON COLUMN staging.jdf_dopravci.company_type IS '1 legal person, 2 natural person.';
COMMENT ON COLUMN staging.jdf_dopravci.person IS 'Name of the natural person.';
COMMENT ON COLUMN staging.jdf_dopravci.address IS 'Address.';
COMMENT ON COLUMN staging.jdf_dopravci.phone_office IS 'Office phone.';
COMMENT ON COLUMN staging.jdf_dopravci.phone_dispatch IS 'Dispatch phone.';
COMMENT ON COLUMN staging.jdf_dopravci.phone_info IS 'Information phone.';
COMMENT ON COLUMN staging.jdf_dopravci.fax IS 'Fax.';
COMMENT ON COLUMN staging.jdf_dopravci.email IS 'E-mail.';
COMMENT ON COLUMN staging.jdf_dopravci.www IS 'Web address.';
COMMENT ON COLUMN staging.jdf_dopravci.carrier_distinction IS 'Carrier distinction (rozlišení dopravce); ''1'' for JDF 1.9, which has none.';

CREATE TABLE IF NOT EXISTS staging.jdf_linky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    name text,
    ico text,
    line_type text,
    mode text,
    diversion text,
    grouping text,
    uses_posts text,
    one_way text,
    licence_no text,
    licence_from text,
    licence_to text,
    valid_from text,
    valid_to text,
    carrier_distinction text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_linky_fv ON staging.jdf_linky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_linky IS 'Linky.txt: lines, one record per line version (line number + distinction). Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_linky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_linky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_linky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_linky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_linky.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_linky.name IS 'Name as published.';
COMMENT ON COLUMN staging.jdf_linky.ico IS 'Carrier company id (IČ).';
COMMENT ON COLUMN staging.jdf_linky.line_type IS 'Line type A/B/N/P/V/Z/D.';
COMMENT ON COLUMN staging.jdf_linky.mode IS 'Mode A bus, E tram, L cable car, M metro, P ferry, T trolleybus (NULL in 1.9: bus).';
COMMENT ON COLUMN staging.jdf_linky.diversion IS 'Diversion timetable 0/1.';
COMMENT ON COLUMN staging.jdf_linky.grouping IS 'Trips grouped 0/1.';
COMMENT ON COLUMN staging.jdf_linky.uses_posts IS 'Uses stop posts 0/1.';
COMMENT ON COLUMN staging.jdf_linky.one_way IS 'One-way timetable 0/1 (1.11).';
COMMENT ON COLUMN staging.jdf_linky.licence_no IS 'Licence number.';
COMMENT ON COLUMN staging.jdf_linky.licence_from IS 'Licence valid from.';
COMMENT ON COLUMN staging.jdf_linky.licence_to IS 'Licence valid to.';
COMMENT ON COLUMN staging.jdf_linky.valid_from IS 'Timetable valid from (DDMMRRRR).';
COMMENT ON COLUMN staging.jdf_linky.valid_to IS 'Timetable valid to (DDMMRRRR).';
COMMENT ON COLUMN staging.jdf_linky.carrier_distinction IS 'Carrier distinction (rozlišení dopravce); ''1'' for JDF 1.9, which has none.';
COMMENT ON COLUMN staging.jdf_linky.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_linext (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    ordinal text,
    system_code text,
    local_code text,
    preferred text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_linext_fv ON staging.jdf_linext (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_linext IS 'LinExt.txt: line membership in MHD/IDS systems and local designations. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_linext.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_linext.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_linext.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_linext.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_linext.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_linext.ordinal IS 'Order.';
COMMENT ON COLUMN staging.jdf_linext.system_code IS 'Transport-system code (e.g. 30421 DÚK).';
COMMENT ON COLUMN staging.jdf_linext.local_code IS 'Local line designation.';
COMMENT ON COLUMN staging.jdf_linext.preferred IS 'Preferred designation 0/1.';
COMMENT ON COLUMN staging.jdf_linext.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_zaslinky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    tariff_no text,
    tariff_zone text,
    stop_no text,
    avg_minutes text,
    code1 text,
    code2 text,
    code3 text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_zaslinky_fv ON staging.jdf_zaslinky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_zaslinky IS 'Zaslinky.txt: stops of a line in tariff order. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_zaslinky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_zaslinky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_zaslinky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_zaslinky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_zaslinky.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_zaslinky.tariff_no IS 'Tariff number: order of the stop within the line.';
COMMENT ON COLUMN staging.jdf_zaslinky.tariff_zone IS 'Tariff zone(s).';
COMMENT ON COLUMN staging.jdf_zaslinky.stop_no IS 'Stop number (batch-local 1..N, or the CIS JŘ register number).';
COMMENT ON COLUMN staging.jdf_zaslinky.avg_minutes IS 'Average time from the first stop, minutes.';
COMMENT ON COLUMN staging.jdf_zaslinky.code1 IS 'Fixed code 1: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zaslinky.code2 IS 'Fixed code 2: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zaslinky.code3 IS 'Fixed code 3: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zaslinky.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_spoje (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    trip_no text,
    code1 text,
    code2 text,
    code3 text,
    code4 text,
    code5 text,
    code6 text,
    code7 text,
    code8 text,
    code9 text,
    code10 text,
    group_code text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_spoje_fv ON staging.jdf_spoje (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_spoje IS 'Spoje.txt: trips (odd trip numbers outbound, even return). Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_spoje.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_spoje.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_spoje.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_spoje.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_spoje.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_spoje.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_spoje.code1 IS 'Fixed code 1: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code2 IS 'Fixed code 2: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code3 IS 'Fixed code 3: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code4 IS 'Fixed code 4: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code5 IS 'Fixed code 5: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code6 IS 'Fixed code 6: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code7 IS 'Fixed code 7: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code8 IS 'Fixed code 8: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code9 IS 'Fixed code 9: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.code10 IS 'Fixed code 10: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_spoje.group_code IS 'Trip-group code (SpojSkup).';
COMMENT ON COLUMN staging.jdf_spoje.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_spojskup (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    group_code text,
    ordinal text,
    name text,
    description text
);
CREATE INDEX IF NOT EXISTS jdf_spojskup_fv ON staging.jdf_spojskup (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_spojskup IS 'SpojSkup.txt: trip groups (headings). Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_spojskup.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_spojskup.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_spojskup.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_spojskup.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_spojskup.group_code IS 'Trip-group code (SpojSkup).';
COMMENT ON COLUMN staging.jdf_spojskup.ordinal IS 'Order.';
COMMENT ON COLUMN staging.jdf_spojskup.name IS 'Name as published.';
COMMENT ON COLUMN staging.jdf_spojskup.description IS 'Description.';

CREATE TABLE IF NOT EXISTS staging.jdf_zasspoje (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    trip_no text,
    tariff_no text,
    stop_no text,
    post_code text,
    platform text,
    code1 text,
    code2 text,
    code3 text,
    km text,
    arrival text,
    departure text,
    min_arrival text,
    max_departure text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_zasspoje_fv ON staging.jdf_zasspoje (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_zasspoje IS 'Zasspoje.txt: stop times of each trip, one record per (trip, stop of the line). Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_zasspoje.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_zasspoje.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_zasspoje.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_zasspoje.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_zasspoje.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_zasspoje.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_zasspoje.tariff_no IS 'Tariff number: order of the stop within the line.';
COMMENT ON COLUMN staging.jdf_zasspoje.stop_no IS 'Stop number (batch-local 1..N, or the CIS JŘ register number).';
COMMENT ON COLUMN staging.jdf_zasspoje.post_code IS 'Stop-post (označník) code of the national register.';
COMMENT ON COLUMN staging.jdf_zasspoje.platform IS 'Platform (stanoviště) label for the public.';
COMMENT ON COLUMN staging.jdf_zasspoje.code1 IS 'Fixed code 1: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zasspoje.code2 IS 'Fixed code 2: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zasspoje.code3 IS 'Fixed code 3: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_zasspoje.km IS 'Distance from the trip''s first stop in km.';
COMMENT ON COLUMN staging.jdf_zasspoje.arrival IS 'Arrival HHMM, or | (passes) / < (other route).';
COMMENT ON COLUMN staging.jdf_zasspoje.departure IS 'Departure HHMM, or | / <.';
COMMENT ON COLUMN staging.jdf_zasspoje.min_arrival IS 'Earliest arrival (on-demand trips, 1.11).';
COMMENT ON COLUMN staging.jdf_zasspoje.max_departure IS 'Latest departure (on-demand trips, 1.11).';
COMMENT ON COLUMN staging.jdf_zasspoje.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_udaje (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    text_no text,
    text text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_udaje_fv ON staging.jdf_udaje (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_udaje IS 'Udaje.txt: footnote texts printed under the timetable. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_udaje.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_udaje.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_udaje.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_udaje.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_udaje.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_udaje.text_no IS 'Text line number.';
COMMENT ON COLUMN staging.jdf_udaje.text IS 'Text.';
COMMENT ON COLUMN staging.jdf_udaje.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_pevnykod (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    code_no text,
    symbol text
);
CREATE INDEX IF NOT EXISTS jdf_pevnykod_fv ON staging.jdf_pevnykod (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_pevnykod IS 'Pevnykod.txt: batch-local numbers of fixed-code symbols. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_pevnykod.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_pevnykod.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_pevnykod.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_pevnykod.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_pevnykod.code_no IS 'Batch-local fixed-code number referenced by other files.';
COMMENT ON COLUMN staging.jdf_pevnykod.symbol IS 'Fixed-code symbol (X, +, 1-7, |, ...).';

CREATE TABLE IF NOT EXISTS staging.jdf_caskody (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    trip_no text,
    timecode_no text,
    mark text,
    type text,
    date_from text,
    date_to text,
    note text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_caskody_fv ON staging.jdf_caskody (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_caskody IS 'Caskody.txt: time codes (dated operating restrictions) per trip. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_caskody.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_caskody.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_caskody.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_caskody.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_caskody.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_caskody.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_caskody.timecode_no IS 'Order of the time code of the trip.';
COMMENT ON COLUMN staging.jdf_caskody.mark IS 'Time-code mark printed in the timetable (10-99).';
COMMENT ON COLUMN staging.jdf_caskody.type IS 'Time-code type: 1 runs, 2 also runs, 3 runs only, 4 does not run, 5 odd weeks, 6 even weeks, 7/8 odd/even weeks from-to; NULL = note.';
COMMENT ON COLUMN staging.jdf_caskody.date_from IS 'Date from (DDMMRRRR).';
COMMENT ON COLUMN staging.jdf_caskody.date_to IS 'Date to (DDMMRRRR); NULL = single day.';
COMMENT ON COLUMN staging.jdf_caskody.note IS 'Note.';
COMMENT ON COLUMN staging.jdf_caskody.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_navaznosti (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    kind text,
    line_code text,
    trip_no text,
    tariff_no text,
    conn_line_code text,
    conn_stop text,
    conn_post text,
    conn_end_stop text,
    conn_end_post text,
    wait_minutes text,
    note text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_navaznosti_fv ON staging.jdf_navaznosti (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_navaznosti IS 'Navaznosti.txt: connections and waits. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_navaznosti.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_navaznosti.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_navaznosti.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_navaznosti.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_navaznosti.kind IS 'm = trip waits for, M = connection to.';
COMMENT ON COLUMN staging.jdf_navaznosti.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_navaznosti.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_navaznosti.tariff_no IS 'Tariff number: order of the stop within the line.';
COMMENT ON COLUMN staging.jdf_navaznosti.conn_line_code IS 'Connecting line number.';
COMMENT ON COLUMN staging.jdf_navaznosti.conn_stop IS 'Connecting stop (CIS JŘ register number).';
COMMENT ON COLUMN staging.jdf_navaznosti.conn_post IS 'Its stop post.';
COMMENT ON COLUMN staging.jdf_navaznosti.conn_end_stop IS 'First/last stop of the connecting trip (register number).';
COMMENT ON COLUMN staging.jdf_navaznosti.conn_end_post IS 'Its stop post.';
COMMENT ON COLUMN staging.jdf_navaznosti.wait_minutes IS 'Wait in minutes.';
COMMENT ON COLUMN staging.jdf_navaznosti.note IS 'Note.';
COMMENT ON COLUMN staging.jdf_navaznosti.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_altdop (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    trip_no text,
    ico text,
    code1 text,
    code2 text,
    code3 text,
    code4 text,
    code5 text,
    code6 text,
    timecode_type text,
    date_from text,
    date_to text,
    carrier_distinction text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_altdop_fv ON staging.jdf_altdop (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_altdop IS 'Altdop.txt: alternative carriers per trip and period. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_altdop.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_altdop.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_altdop.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_altdop.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_altdop.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_altdop.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_altdop.ico IS 'Carrier company id (IČ).';
COMMENT ON COLUMN staging.jdf_altdop.code1 IS 'Fixed code 1: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.code2 IS 'Fixed code 2: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.code3 IS 'Fixed code 3: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.code4 IS 'Fixed code 4: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.code5 IS 'Fixed code 5: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.code6 IS 'Fixed code 6: a Pevnykod number (see staging.jdf_pevnykod).';
COMMENT ON COLUMN staging.jdf_altdop.timecode_type IS 'Time-code type (5/6 only).';
COMMENT ON COLUMN staging.jdf_altdop.date_from IS 'Date from (DDMMRRRR).';
COMMENT ON COLUMN staging.jdf_altdop.date_to IS 'Date to (DDMMRRRR); NULL = single day.';
COMMENT ON COLUMN staging.jdf_altdop.carrier_distinction IS 'Carrier distinction (rozlišení dopravce); ''1'' for JDF 1.9, which has none.';
COMMENT ON COLUMN staging.jdf_altdop.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_altlinky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    alt_no text,
    country text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_altlinky_fv ON staging.jdf_altlinky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_altlinky IS 'Altlinky.txt: alternative (foreign) line numbers. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_altlinky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_altlinky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_altlinky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_altlinky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_altlinky.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_altlinky.alt_no IS 'Alternative line number.';
COMMENT ON COLUMN staging.jdf_altlinky.country IS 'State code (CZ, SK, D, ...).';
COMMENT ON COLUMN staging.jdf_altlinky.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

CREATE TABLE IF NOT EXISTS staging.jdf_mistenky (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    line_no integer NOT NULL,
    line_code text,
    trip_no text,
    text text,
    line_distinction text
);
CREATE INDEX IF NOT EXISTS jdf_mistenky_fv ON staging.jdf_mistenky (feed_version_id, batch);
COMMENT ON TABLE staging.jdf_mistenky IS 'Mistenky.txt: seat-reservation notes. Values as published (text, empty = NULL).';
COMMENT ON COLUMN staging.jdf_mistenky.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_mistenky.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_mistenky.source_file IS 'File inside the input (prefixed by the inner batch zip in bulk exports).';
COMMENT ON COLUMN staging.jdf_mistenky.line_no IS 'Physical line of the record in its file (first record = 1).';
COMMENT ON COLUMN staging.jdf_mistenky.line_code IS 'JDF line number (6 digits).';
COMMENT ON COLUMN staging.jdf_mistenky.trip_no IS 'Trip number (odd outbound, even return); 0 = all trips where allowed.';
COMMENT ON COLUMN staging.jdf_mistenky.text IS 'Text.';
COMMENT ON COLUMN staging.jdf_mistenky.line_distinction IS 'Line distinction (rozlišení linky): with the line number the key of a line version; ''1'' for JDF 1.9.';

-- Derived from the records above by the loader (calendar and stop-time semantics in Python),
-- so that publishing is plain INSERT … SELECT. Each row keeps the locator of its source record.

CREATE TABLE IF NOT EXISTS staging.jdf_stop (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    stop_no text NOT NULL,
    place_key text NOT NULL,
    name text NOT NULL,
    town text,
    district_code text,
    country text,
    register_no text,
    source_file text NOT NULL,
    line_no integer NOT NULL
);
CREATE INDEX IF NOT EXISTS jdf_stop_fv ON staging.jdf_stop (feed_version_id, batch, stop_no);
COMMENT ON TABLE staging.jdf_stop IS 'JDF stops of each batch with their identity across batches and versions (place_key).';
COMMENT ON COLUMN staging.jdf_stop.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_stop.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_stop.stop_no IS 'Stop number as used inside the batch.';
COMMENT ON COLUMN staging.jdf_stop.place_key IS 'Identity of the stop: printed name | district | country (batch-local numbers are not stable); the unified.stop_place local_id.';
COMMENT ON COLUMN staging.jdf_stop.name IS 'Printed stop name town,part,place.';
COMMENT ON COLUMN staging.jdf_stop.town IS 'Town (municipality) part of the name.';
COMMENT ON COLUMN staging.jdf_stop.district_code IS 'Two-letter district (okres) code, when the batch gives one.';
COMMENT ON COLUMN staging.jdf_stop.country IS 'State code (CZ when blank).';
COMMENT ON COLUMN staging.jdf_stop.register_no IS 'CIS JŘ register (CRZ) number, when the batch uses register numbers.';
COMMENT ON COLUMN staging.jdf_stop.source_file IS 'Zastavky.txt of the batch.';
COMMENT ON COLUMN staging.jdf_stop.line_no IS 'Line of the stop''s record in Zastavky.txt.';

CREATE TABLE IF NOT EXISTS staging.jdf_trip (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    line_code text NOT NULL,
    line_distinction text NOT NULL,
    trip_no text NOT NULL,
    calendar_key text NOT NULL,
    description text,
    weekdays text,
    headsign text,
    wheelchair_accessible smallint,
    bikes_allowed smallint,
    source_file text NOT NULL,
    line_no integer NOT NULL
);
CREATE INDEX IF NOT EXISTS jdf_trip_fv ON staging.jdf_trip (feed_version_id, batch, line_code, line_distinction, trip_no);
COMMENT ON TABLE staging.jdf_trip IS 'JDF trips with their evaluated operating days (fixed + time codes, line validity).';
COMMENT ON COLUMN staging.jdf_trip.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_trip.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_trip.line_code IS 'JDF line number.';
COMMENT ON COLUMN staging.jdf_trip.line_distinction IS 'Line distinction.';
COMMENT ON COLUMN staging.jdf_trip.trip_no IS 'Trip number.';
COMMENT ON COLUMN staging.jdf_trip.calendar_key IS 'Key of the set of service dates (staging.jdf_calendar_day); trips with equal dates share it.';
COMMENT ON COLUMN staging.jdf_trip.description IS 'The trip''s codes as printed, e.g. "X | 14 nejede 09.03.2015–13.03.2015".';
COMMENT ON COLUMN staging.jdf_trip.weekdays IS 'Regular weekdays Monday..Sunday from the day symbols (1 = runs).';
COMMENT ON COLUMN staging.jdf_trip.headsign IS 'Name of the trip''s last stop.';
COMMENT ON COLUMN staging.jdf_trip.wheelchair_accessible IS 'GTFS code: 1 when the trip carries the @ symbol, else 0.';
COMMENT ON COLUMN staging.jdf_trip.bikes_allowed IS 'GTFS code: 1 when the trip carries the O (bicycles) symbol, else 0.';
COMMENT ON COLUMN staging.jdf_trip.source_file IS 'Spoje.txt of the batch.';
COMMENT ON COLUMN staging.jdf_trip.line_no IS 'Line of the trip''s record in Spoje.txt.';

CREATE TABLE IF NOT EXISTS staging.jdf_calendar_day (
    feed_version_id bigint NOT NULL,
    calendar_key text NOT NULL,
    service_date date NOT NULL,
    PRIMARY KEY (feed_version_id, calendar_key, service_date)
);
COMMENT ON TABLE staging.jdf_calendar_day IS 'Service dates of each distinct JDF trip calendar.';
COMMENT ON COLUMN staging.jdf_calendar_day.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_calendar_day.calendar_key IS 'Calendar key (staging.jdf_trip.calendar_key).';
COMMENT ON COLUMN staging.jdf_calendar_day.service_date IS 'A date on which the trips of the calendar run.';

CREATE TABLE IF NOT EXISTS staging.jdf_call (
    feed_version_id bigint NOT NULL,
    batch text NOT NULL DEFAULT '',
    line_code text NOT NULL,
    line_distinction text NOT NULL,
    trip_no text NOT NULL,
    sequence integer NOT NULL,
    tariff_no integer NOT NULL,
    stop_no text NOT NULL,
    post_code text,
    arrival_s integer,
    departure_s integer,
    distance_m double precision,
    pickup_type smallint,
    drop_off_type smallint,
    source_file text NOT NULL,
    line_no integer NOT NULL
);
CREATE INDEX IF NOT EXISTS jdf_call_fv ON staging.jdf_call (feed_version_id, batch, line_code, line_distinction, trip_no);
COMMENT ON TABLE staging.jdf_call IS 'Calls of each JDF trip in travel order (even trips reversed, midnight crossings resolved, other-route stops left out, passes kept without times).';
COMMENT ON COLUMN staging.jdf_call.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.jdf_call.batch IS 'Inner batch zip of a national bulk export; empty for a single batch.';
COMMENT ON COLUMN staging.jdf_call.line_code IS 'JDF line number.';
COMMENT ON COLUMN staging.jdf_call.line_distinction IS 'Line distinction.';
COMMENT ON COLUMN staging.jdf_call.trip_no IS 'Trip number.';
COMMENT ON COLUMN staging.jdf_call.sequence IS 'Order of the call in travel order, from 1.';
COMMENT ON COLUMN staging.jdf_call.tariff_no IS 'Tariff number of the stop within the line.';
COMMENT ON COLUMN staging.jdf_call.stop_no IS 'Stop number within the batch.';
COMMENT ON COLUMN staging.jdf_call.post_code IS 'Stop post (označník) code, where given.';
COMMENT ON COLUMN staging.jdf_call.arrival_s IS 'Arrival, seconds after noon minus 12 h of the service date (NULL when the trip passes without stopping).';
COMMENT ON COLUMN staging.jdf_call.departure_s IS 'Departure, seconds after noon minus 12 h of the service date.';
COMMENT ON COLUMN staging.jdf_call.distance_m IS 'JDF km × 1000.';
COMMENT ON COLUMN staging.jdf_call.pickup_type IS 'GTFS pickup_type: 1 for alighting only "(" and passes "|", 3 for request stops "x".';
COMMENT ON COLUMN staging.jdf_call.drop_off_type IS 'GTFS drop_off_type: 1 for boarding only ")" and passes "|", 3 for request stops "x".';
COMMENT ON COLUMN staging.jdf_call.source_file IS 'Zasspoje.txt of the batch.';
COMMENT ON COLUMN staging.jdf_call.line_no IS 'Line of the record in Zasspoje.txt.';

CREATE TABLE IF NOT EXISTS staging.jdf_stop_match (
    feed_version_id bigint NOT NULL,
    place_key text NOT NULL,
    method text NOT NULL,
    register_id text,
    register_source_id text,
    register_stop_place_id bigint,
    name_similarity double precision,
    geom geometry(Point, 5514),
    location_note text
);
CREATE INDEX IF NOT EXISTS jdf_stop_match_fv ON staging.jdf_stop_match (feed_version_id, place_key);
COMMENT ON TABLE staging.jdf_stop_match IS 'How each JDF stop was positioned from the current regional stop register: by register number, by normalised name within the district, or not at all (unmatched: no position, never guessed).';
COMMENT ON COLUMN staging.jdf_stop_match.feed_version_id IS 'Feed version (lineage.feed_version.id) of the JDF source.';
COMMENT ON COLUMN staging.jdf_stop_match.place_key IS 'The JDF stop (staging.jdf_stop.place_key).';
COMMENT ON COLUMN staging.jdf_stop_match.method IS 'register_id (CRZ number of the batch confirmed by name), name_district (equal normalised name in the same district), unmatched.';
COMMENT ON COLUMN staging.jdf_stop_match.register_id IS 'CRZ stop number of the register stop used.';
COMMENT ON COLUMN staging.jdf_stop_match.register_source_id IS 'Stop-register source the position came from.';
COMMENT ON COLUMN staging.jdf_stop_match.register_stop_place_id IS 'unified.stop_place id of the register stop used.';
COMMENT ON COLUMN staging.jdf_stop_match.name_similarity IS 'Similarity 0..1 of the JDF and register names (transport_etl.harmonise.names).';
COMMENT ON COLUMN staging.jdf_stop_match.geom IS 'Position taken from the register, EPSG:5514; NULL when unmatched.';
COMMENT ON COLUMN staging.jdf_stop_match.location_note IS 'Why there is no position (unmatched_in_register, ambiguous_name, no_register).';
