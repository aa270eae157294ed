-- A point per parcel in Web Mercator, so that low-zoom tiles aggregate small points
-- instead of reading every boundary.
ALTER TABLE parcels ADD COLUMN point_3857 geometry(Point, 3857);

CREATE OR REPLACE FUNCTION parcels_mercator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.geom_3857 := ST_Transform(NEW.geom, 3857);
    NEW.point_3857 := ST_Centroid(NEW.geom_3857);
    RETURN NEW;
END $$;

UPDATE parcels SET point_3857 = ST_Centroid(geom_3857);
CREATE INDEX parcels_point_3857_gix ON parcels USING gist (point_3857);

CREATE OR REPLACE FUNCTION parcels_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (NEW.id, NEW.version, NEW.updated_at, to_jsonb(NEW) - 'geom_3857' - 'point_3857');
    RETURN NULL;
END $$;
