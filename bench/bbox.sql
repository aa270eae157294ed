-- The statements GET /api/parcels?bbox=…&limit=500 runs (src/db/parcels.rs), with random windows.
\set xi random(0, 110000)
\set yi random(0, 120000)
SELECT p.id, json_build_object(
    'type', 'Feature', 'id', p.code,
    'geometry', ST_AsGeoJSON(p.geom, 7, 0)::json,
    'properties', json_build_object(
        'code', p.code, 'name', p.name, 'town', p.town, 'address', p.address,
        'current_use', p.current_use, 'planned_use', p.planned_use,
        'gb36600_class', p.gb36600_class, 'land_right', p.land_right,
        'right_holder', p.right_holder, 'responsible_party', p.responsible_party,
        'risk', p.risk, 'area_m2', round(p.area_m2::numeric, 2), 'version', p.version,
        'created_at', p.created_at, 'updated_at', p.updated_at,
        'retired', p.retired_at IS NOT NULL, 'retired_at', p.retired_at,
        'retired_reason', p.retired_reason))::text
  FROM parcels p
 WHERE TRUE AND p.retired_at IS NULL
   AND ST_Intersects(p.geom, ST_MakeEnvelope(116.0 + :xi / 1000000.0, 39.86 + :yi / 1000000.0,
                                              116.014 + :xi / 1000000.0, 39.869 + :yi / 1000000.0, 4490))
 ORDER BY p.id LIMIT 501;
SELECT count(*) FROM (SELECT 1 FROM parcels p WHERE TRUE AND p.retired_at IS NULL
   AND ST_Intersects(p.geom, ST_MakeEnvelope(116.0 + :xi / 1000000.0, 39.86 + :yi / 1000000.0,
                                              116.014 + :xi / 1000000.0, 39.869 + :yi / 1000000.0, 4490))
 LIMIT 10001) AS capped;
