-- The synthetic district outline and town boundaries (Voronoi cells of the seeds, clipped).
WITH outline AS (
    INSERT INTO district (id, name, boundary, synthetic)
    VALUES (1, '门头沟区（示例边界）', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)), true)
    ON CONFLICT (id) DO UPDATE SET boundary = EXCLUDED.boundary, name = EXCLUDED.name
    RETURNING boundary
),
seeds AS (
    SELECT code, ST_SetSRID(ST_MakePoint(lon, lat), 4490) AS pt
      FROM unnest($2::text[], $3::float8[], $4::float8[]) AS s (code, lon, lat)
),
cells AS (
    SELECT ST_SetSRID((ST_Dump(ST_VoronoiPolygons(ST_Collect(pt)))).geom, 4490) AS g FROM seeds
)
UPDATE towns t
   SET boundary = ST_Multi(ST_CollectionExtract(ST_Intersection(c.g, o.boundary), 3)),
       synthetic = true
  FROM seeds s, cells c, outline o
 WHERE t.code = s.code AND ST_Contains(c.g, s.pt)
