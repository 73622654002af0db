-- Default QGIS styles for every gis map layer, in QGIS's own table public.layer_styles (QGIS creates
-- the same table when a user saves a style to the database; it loads the row marked useAsDefault when
-- a layer is added). QGIS matches rows by database name, so gis.install_layer_styles() writes them for
-- current_database(); `transport-etl db setup` calls it again (e.g. after a database was copied).

-- The DDL QGIS itself uses (src/providers/postgres/qgspostgresprovider.cpp, QGIS 3.x).
CREATE TABLE IF NOT EXISTS public.layer_styles (
    id                serial PRIMARY KEY,
    f_table_catalog   varchar,
    f_table_schema    varchar,
    f_table_name      varchar,
    f_geometry_column varchar,
    stylename         text,
    styleqml          xml,
    stylesld          xml,
    useasdefault      boolean,
    description       text,
    owner             varchar(63) DEFAULT CURRENT_USER,
    ui                xml,
    update_time       timestamp DEFAULT CURRENT_TIMESTAMP,
    type              varchar
);
COMMENT ON TABLE public.layer_styles IS 'QGIS layer styles stored in the database (QGIS''s standard table). Rows with stylename transport_etl are the project''s defaults for the gis layers, rewritten by gis.install_layer_styles().';

COMMENT ON COLUMN public.layer_styles.id IS 'Style id.';
COMMENT ON COLUMN public.layer_styles.f_table_catalog IS 'Database of the styled layer (QGIS matches it to the connection''s database).';
COMMENT ON COLUMN public.layer_styles.f_table_schema IS 'Schema of the styled layer.';
COMMENT ON COLUMN public.layer_styles.f_table_name IS 'Table or view of the styled layer.';
COMMENT ON COLUMN public.layer_styles.f_geometry_column IS 'Geometry column of the styled layer.';
COMMENT ON COLUMN public.layer_styles.stylename IS 'Name of the style (transport_etl for the project''s defaults).';
COMMENT ON COLUMN public.layer_styles.styleqml IS 'The style as a QGIS QML document.';
COMMENT ON COLUMN public.layer_styles.stylesld IS 'The style as OGC SLD (optional).';
COMMENT ON COLUMN public.layer_styles.useasdefault IS 'QGIS applies this style when the layer is added.';
COMMENT ON COLUMN public.layer_styles.description IS 'What the style is for.';
COMMENT ON COLUMN public.layer_styles.owner IS 'Who saved the style.';
COMMENT ON COLUMN public.layer_styles.ui IS 'QGIS attribute form layout (optional).';
COMMENT ON COLUMN public.layer_styles.update_time IS 'When the style was saved.';
COMMENT ON COLUMN public.layer_styles.type IS 'Layer type (vector).';

-- A QGIS style document (QML) for one layer: a single symbol by geometry kind, a colour per theme, and
-- labels from a name-like column when the layer has one.
CREATE OR REPLACE FUNCTION gis.layer_style_qml(geometry_kind text, rgb text, label_field text) RETURNS xml
LANGUAGE sql IMMUTABLE AS $$
    SELECT xmlparse(DOCUMENT
        '<!DOCTYPE qgis PUBLIC ''http://mrcc.com/qgis.dtd'' ''SYSTEM''>'
        || format('<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="%s">',
                  CASE WHEN label_field IS NULL THEN 0 ELSE 1 END)
        || '<renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1"><symbols>'
        || CASE geometry_kind
           WHEN 'point' THEN
               '<symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">'
               || '<layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map">'
               || format('<Option type="QString" name="color" value="%s,255"/>', rgb)
               || '<Option type="QString" name="name" value="circle"/>'
               || '<Option type="QString" name="outline_color" value="255,255,255,255"/>'
               || '<Option type="QString" name="outline_width" value="0.4"/>'
               || '<Option type="QString" name="size" value="2.6"/>'
               || '<Option type="QString" name="size_unit" value="MM"/></Option></layer></symbol>'
           WHEN 'line' THEN
               '<symbol type="line" name="0" alpha="1" clip_to_extent="1" force_rhr="0">'
               || '<layer class="SimpleLine" enabled="1" locked="0" pass="0"><Option type="Map">'
               || format('<Option type="QString" name="line_color" value="%s,255"/>', rgb)
               || '<Option type="QString" name="line_width" value="0.8"/>'
               || '<Option type="QString" name="line_width_unit" value="MM"/>'
               || '<Option type="QString" name="capstyle" value="round"/>'
               || '<Option type="QString" name="joinstyle" value="round"/></Option></layer></symbol>'
           ELSE
               '<symbol type="fill" name="0" alpha="0.6" clip_to_extent="1" force_rhr="0">'
               || '<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">'
               || format('<Option type="QString" name="color" value="%s,255"/>', rgb)
               || '<Option type="QString" name="outline_color" value="35,35,35,255"/>'
               || '<Option type="QString" name="outline_width" value="0.26"/></Option></layer></symbol>'
           END
        || '</symbols><rotation/><sizescale/></renderer-v2>'
        || CASE WHEN label_field IS NULL THEN '' ELSE
               '<labeling type="simple"><settings calloutType="simple">'
               || format('<text-style fieldName="%s" isExpression="0" fontFamily="Sans Serif" fontSize="8" '
                         || 'fontSizeUnit="Point" textColor="40,40,40,255" textOpacity="1">', label_field)
               || '<text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" '
               || 'bufferOpacity="1"/></text-style>'
               || format('<placement placement="%s" dist="1" distUnits="MM"/>',
                         CASE geometry_kind WHEN 'line' THEN 2 WHEN 'point' THEN 0 ELSE 1 END)
               || '<rendering scaleVisibility="1" scaleMin="1" scaleMax="50000" obstacle="1"/></settings></labeling>'
           END
        || format('<layerGeometryType>%s</layerGeometryType></qgis>',
                  CASE geometry_kind WHEN 'point' THEN 0 WHEN 'line' THEN 1 ELSE 2 END))
$$;
COMMENT ON FUNCTION gis.layer_style_qml(text, text, text) IS 'QGIS style (QML) for a layer: geometry kind point, line or polygon; colour as "r,g,b"; optional label column.';

-- (Re)write the project's default style of every gis layer with a geometry column for this database.
CREATE OR REPLACE FUNCTION gis.install_layer_styles() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    DELETE FROM public.layer_styles WHERE stylename = 'transport_etl' AND f_table_schema = 'gis';
    INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename,
                                     styleqml, useasdefault, description, owner, type)
    SELECT current_database(), 'gis', g.f_table_name, g.f_geometry_column, 'transport_etl',
           gis.layer_style_qml(kind, colour, label), true,
           'Default style of gis.' || g.f_table_name || ' (transport_etl)', 'transport_etl', 'vector'
    FROM geometry_columns g
    CROSS JOIN LATERAL (SELECT CASE WHEN upper(g.type) LIKE '%POINT%' THEN 'point'
                                    WHEN upper(g.type) LIKE '%LINE%' THEN 'line' ELSE 'polygon' END AS kind) k
    CROSS JOIN LATERAL (SELECT CASE
        WHEN g.f_table_name LIKE 'canonical_stop%' THEN '178,24,43'
        WHEN g.f_table_name LIKE 'stop_match_review%' THEN '230,97,1'
        WHEN g.f_table_name LIKE 'stop_%' THEN '33,102,172'
        WHEN g.f_table_name LIKE 'road_event%' THEN '215,25,28'
        WHEN g.f_table_name LIKE 'traffic_count%' THEN '118,42,131'
        WHEN g.f_table_name LIKE 'transport_%' THEN '120,120,120'
        WHEN g.f_table_name LIKE 'bike%' THEN '26,150,65'
        WHEN g.f_table_name LIKE 'parking%' THEN '0,109,119'
        WHEN g.f_table_name LIKE 'rt_%' THEN '253,174,97'
        ELSE '49,163,84' END AS colour) c
    LEFT JOIN LATERAL (
        SELECT a.attname::text AS label FROM pg_attribute a
        WHERE a.attrelid = format('gis.%I', g.f_table_name)::regclass AND NOT a.attisdropped
          AND a.attname IN ('name', 'canonical_name', 'public_code', 'line_codes', 'road_number', 'from_name')
        ORDER BY array_position(ARRAY['name', 'canonical_name', 'public_code', 'line_codes', 'road_number',
                                      'from_name']::name[], a.attname)
        LIMIT 1) lbl ON true
    WHERE g.f_table_schema = 'gis';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION gis.install_layer_styles() IS 'Writes the default QGIS style of every gis map layer into public.layer_styles for the current database; returns the number of layers styled.';
REVOKE ALL ON FUNCTION gis.install_layer_styles() FROM PUBLIC;

SELECT gis.install_layer_styles();

DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
        GRANT SELECT ON public.layer_styles TO gis_reader;
        REVOKE EXECUTE ON FUNCTION gis.install_layer_styles() FROM gis_reader;
    END IF;
END $$;
