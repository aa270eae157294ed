-- Mean number of parcels in 200 windows like the benchmark's (capped at the page size).
SELECT round(avg(least(n, 500)))
  FROM (SELECT (SELECT count(*) FROM parcels p
                 WHERE ST_Intersects(p.geom, ST_MakeEnvelope(x, y, x + 0.014, y + 0.009, 4490))) AS n
          FROM (SELECT 116.0 + random() * 0.11 AS x, 39.86 + random() * 0.12 AS y
                  FROM generate_series(1, 200)) w) s;
