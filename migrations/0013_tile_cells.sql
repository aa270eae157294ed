-- Parcel counts per map cell for the aggregated zooms (8–13), kept by statement-level
-- triggers, so that an unfiltered low-zoom tile reads at most 64 × 64 cells instead of
-- aggregating up to every parcel of the district per request. A cell is 1/64 of a tile's
-- side at its zoom, numbered from the Web Mercator origin (so a tile's cells are a range).

CREATE TABLE parcel_cells (
    z            smallint NOT NULL CHECK (z BETWEEN 8 AND 13),
    gx           integer NOT NULL,
    gy           integer NOT NULL,
    count        integer NOT NULL,
    area_m2      double precision NOT NULL,
    listed       integer NOT NULL,
    contaminated integer NOT NULL,
    suspected    integer NOT NULL,
    PRIMARY KEY (z, gx, gy)
);

-- The statement that adds (sign +1) or removes (sign -1) the parcels of a transition
-- table to the cells; run by EXECUTE inside the triggers, where the table is visible.
CREATE FUNCTION parcel_cells_sql(rows text, sign integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format($f$
        INSERT INTO parcel_cells AS c (z, gx, gy, count, area_m2, listed, contaminated, suspected)
        SELECT z, floor((ST_X(r.point_3857) + 20037508.342789244) / (40075016.685578488 / 2 ^ z / 64))::integer,
               floor((ST_Y(r.point_3857) + 20037508.342789244) / (40075016.685578488 / 2 ^ z / 64))::integer,
               %2$s * count(*)::integer, %2$s * sum(r.area_m2),
               %2$s * (count(*) FILTER (WHERE r.stage IN ('control_needed', 'listed', 'plan_filed', 'remediating', 'works_finished', 'effect_evaluated')))::integer,
               %2$s * (count(*) FILTER (WHERE r.stage = 'contaminated'))::integer,
               %2$s * (count(*) FILTER (WHERE r.stage IN ('suspected', 'surveying', 'phase2_needed')))::integer
          FROM %1$I AS r, generate_series(8, 13) AS z
         WHERE r.retired_at IS NULL AND r.point_3857 IS NOT NULL
         GROUP BY 1, 2, 3
        ON CONFLICT (z, gx, gy) DO UPDATE
           SET count = c.count + EXCLUDED.count, area_m2 = c.area_m2 + EXCLUDED.area_m2,
               listed = c.listed + EXCLUDED.listed, contaminated = c.contaminated + EXCLUDED.contaminated,
               suspected = c.suspected + EXCLUDED.suspected$f$, rows, sign)
$$;

CREATE FUNCTION parcel_cells_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE parcel_cells_sql('new_rows', 1);
    RETURN NULL;
END $$;

CREATE FUNCTION parcel_cells_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE parcel_cells_sql('old_rows', -1);
    EXECUTE parcel_cells_sql('new_rows', 1);
    RETURN NULL;
END $$;

CREATE FUNCTION parcel_cells_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE parcel_cells_sql('old_rows', -1);
    RETURN NULL;
END $$;

CREATE TRIGGER parcel_cells_insert AFTER INSERT ON parcels
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_on_insert();
CREATE TRIGGER parcel_cells_update AFTER UPDATE ON parcels
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_on_update();
CREATE TRIGGER parcel_cells_delete AFTER DELETE ON parcels
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_cells_on_delete();

DO $$ BEGIN EXECUTE parcel_cells_sql('parcels', 1); END $$;
