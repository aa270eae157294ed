-- Deterministic synthetic parcels: a square grid per town (EPSG:4548 metres) whose density
-- follows the town's weight, cells drawn at random, each holding one jittered quadrilateral
-- inset from its cell so that parcels never overlap.
-- $1 n, $2 seed, $3 code prefix, $4 town codes, $5 town weights,
-- $6 planned uses ('' = unknown), $7 their GB 36600 classes, $8 current uses, $9 holders
WITH w AS (SELECT code, weight FROM unnest($4::text[], $5::float8[]) AS w (code, weight)),
tw AS (
    SELECT t.code, t.name_zh, ST_Transform(t.boundary, 4548) AS g, w.weight,
           ST_Area(t.boundary::geography) AS a
      FROM towns t JOIN w USING (code)
     WHERE t.boundary IS NOT NULL
),
share AS (
    SELECT tw.*, ceil($1::int * weight * a / sum(weight * a) OVER ())::int AS quota FROM tw
),
cand AS (
    SELECT sh.code AS town, sh.name_zh, sh.quota, sg.i, sg.j, sg.geom,
           sqrt(sh.a / (sh.quota * 2.5)) AS s,
           row_number() OVER (PARTITION BY sh.code
                              ORDER BY md5($2::text || ':' || sh.code || ':' || sg.i || ':' || sg.j)) AS rk
      FROM share sh, ST_SquareGrid(sqrt(sh.a / (sh.quota * 2.5)), sh.g) AS sg
     WHERE ST_Within(sg.geom, sh.g)
),
picked AS (
    SELECT c.*, row_number() OVER (ORDER BY c.town, c.j DESC, c.i) AS n,
           md5($2::text || '/a/' || c.town || ':' || c.i || ':' || c.j) AS h1,
           md5($2::text || '/b/' || c.town || ':' || c.i || ':' || c.j) AS h2
      FROM (SELECT * FROM cand WHERE rk <= quota ORDER BY rk::float8 / quota, town LIMIT $1::int) AS c
),
r AS (
    SELECT p.*,
           ST_XMin(p.geom) AS x0, ST_YMin(p.geom) AS y0, ST_XMax(p.geom) AS x1, ST_YMax(p.geom) AS y1,
           array(SELECT ('x' || substr(p.h1 || p.h2, k * 4 + 1, 4))::bit(16)::int / 65536.0
                   FROM generate_series(0, 15) AS k) AS u
      FROM picked p
),
shaped AS (
    SELECT r.*,
           ST_Multi(ST_Transform(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
               ST_MakePoint(x0 + s * (0.05 + 0.2 * u[1]), y0 + s * (0.05 + 0.2 * u[2])),
               ST_MakePoint(x1 - s * (0.05 + 0.2 * u[3]), y0 + s * (0.05 + 0.2 * u[4])),
               ST_MakePoint(x1 - s * (0.05 + 0.2 * u[5]), y1 - s * (0.05 + 0.2 * u[6])),
               ST_MakePoint(x0 + s * (0.05 + 0.2 * u[7]), y1 - s * (0.05 + 0.2 * u[8])),
               ST_MakePoint(x0 + s * (0.05 + 0.2 * u[1]), y0 + s * (0.05 + 0.2 * u[2]))])), 4548), 4490)) AS g,
           1 + floor(u[9] * array_length($6::text[], 1))::int AS pu,
           ($8::text[])[1 + floor(u[10] * array_length($8::text[], 1))::int] AS cu,
           ($9::text[])[1 + floor(u[11] * array_length($9::text[], 1))::int] AS holder
      FROM r
)
INSERT INTO parcels (code, name, town, address, current_use, planned_use, gb36600_class, land_right,
                     right_holder, responsible_party, risk, geom, area_m2, synthetic)
SELECT $3 || lpad(n::text, 7, '0'),
       name_zh || '示例地块' || lpad(n::text, 7, '0'),
       town,
       '北京市门头沟区' || name_zh || '示例路' || (1 + floor(u[12] * 300))::int || '号',
       cu,
       nullif(($6::text[])[pu], ''),
       ($7::int2[])[pu],
       (CASE WHEN u[13] < 0.70 THEN 'in_use' WHEN u[13] < 0.78 THEN 'withdrawal_planned'
             WHEN u[13] < 0.86 THEN 'withdrawn' WHEN u[13] < 0.92 THEN 'transfer_planned'
             ELSE 'supplied' END)::land_right,
       holder,
       CASE WHEN u[14] < 0.8 THEN holder END,
       (CASE WHEN cu LIKE '10%' THEN
                  CASE WHEN u[15] < 0.3 THEN 'high' WHEN u[15] < 0.6 THEN 'medium'
                       WHEN u[15] < 0.8 THEN 'unknown' ELSE 'low' END
             ELSE CASE WHEN u[15] < 0.03 THEN 'high' WHEN u[15] < 0.12 THEN 'medium'
                       WHEN u[15] < 0.35 THEN 'unknown' ELSE 'low' END
        END)::soil_risk,
       g,
       ST_Area(g::geography),
       true
  FROM shaped
ON CONFLICT (code) DO NOTHING
