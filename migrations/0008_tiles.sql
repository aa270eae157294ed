-- A Web Mercator copy of each parcel boundary, kept by trigger, so that tiles need no transform per request.
ALTER TABLE parcels ADD COLUMN geom_3857 geometry(MultiPolygon, 3857);

CREATE FUNCTION parcels_mercator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.geom_3857 := ST_Transform(NEW.geom, 3857);
    RETURN NEW;
END $$;
CREATE TRIGGER parcels_mercator BEFORE INSERT OR UPDATE OF geom ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_mercator();

UPDATE parcels SET geom_3857 = ST_Transform(geom, 3857);
CREATE INDEX parcels_geom_3857_gix ON parcels USING gist (geom_3857);

-- The history keeps the boundary once, in CGCS2000.
CREATE OR REPLACE FUNCTION parcels_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (NEW.id, NEW.version, NEW.updated_at, to_jsonb(NEW) - 'geom_3857');
    RETURN NULL;
END $$;
