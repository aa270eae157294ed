-- Writing a parcel cost more than it needed to: a district-wide import (1,000,000 parcels)
-- spent half its write inserting into three GiST indexes, and a sixth on the cell counts.

-- The point index served only the filtered low-zoom aggregation, which now finds a tile's
-- parcels by the boundary's Web Mercator index (a parcel whose centroid is in the tile has
-- its box there too) and keeps those whose centroid is. One GiST index fewer per write.
DROP INDEX parcels_point_3857_gix;

-- The cell counts: each parcel's cell at zoom 13 is computed once, and the cells of zooms
-- 8–12 are their parents (a cell at zoom z - 1 holds the four at z), instead of projecting
-- and grouping every parcel six times. Same cells, same counts.
CREATE OR REPLACE FUNCTION parcel_cells_sql(rows text, sign integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format($f$
        WITH z13 AS MATERIALIZED (
            SELECT floor((ST_X(r.point_3857) + 20037508.342789244) / (40075016.685578488 / 8192 / 64))::integer AS gx,
                   floor((ST_Y(r.point_3857) + 20037508.342789244) / (40075016.685578488 / 8192 / 64))::integer AS gy,
                   count(*)::integer AS n, sum(r.area_m2) AS area_m2,
                   (count(*) FILTER (WHERE r.stage IN ('control_needed', 'listed', 'plan_filed', 'remediating', 'works_finished', 'effect_evaluated')))::integer AS listed,
                   (count(*) FILTER (WHERE r.stage = 'contaminated'))::integer AS contaminated,
                   (count(*) FILTER (WHERE r.stage IN ('suspected', 'surveying', 'phase2_needed')))::integer AS suspected
              FROM %1$I AS r
             WHERE r.retired_at IS NULL AND r.point_3857 IS NOT NULL
             GROUP BY 1, 2)
        INSERT INTO parcel_cells AS c (z, gx, gy, count, area_m2, listed, contaminated, suspected)
        SELECT z, gx >> (13 - z), gy >> (13 - z),
               %2$s * sum(n)::integer, %2$s * sum(area_m2),
               %2$s * sum(listed)::integer, %2$s * sum(contaminated)::integer, %2$s * sum(suspected)::integer
          FROM z13, generate_series(8, 13) AS z
         GROUP BY 1, 2, 3
        ON CONFLICT (z, gx, gy) DO UPDATE
           SET count = c.count + EXCLUDED.count, area_m2 = c.area_m2 + EXCLUDED.area_m2,
               listed = c.listed + EXCLUDED.listed, contaminated = c.contaminated + EXCLUDED.contaminated,
               suspected = c.suspected + EXCLUDED.suspected$f$, rows, sign)
$$;

TRUNCATE parcel_cells;
DO $$ BEGIN EXECUTE parcel_cells_sql('parcels', 1); END $$;
