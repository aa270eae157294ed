-- The history row of a parcel, built without turning every geometry of the row into JSON:
-- `to_jsonb(NEW)` converts each geometry through PostGIS's json cast (the boundary and both
-- Web Mercator copies, which were then dropped) — most of the cost of a bulk import's write.
-- The derived copies are nulled first and the boundary is written by ST_AsGeoJSON, in the
-- same form as before (GeoJSON with the short EPSG:4490 crs member), so `as_of` reads
-- old and new versions alike.
CREATE OR REPLACE FUNCTION parcels_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v parcels := NEW;
BEGIN
    v.geom := NULL;
    v.geom_3857 := NULL;
    v.point_3857 := NULL;
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (NEW.id, NEW.version, NEW.updated_at,
            (to_jsonb(v) - 'geom_3857' - 'point_3857')
                || jsonb_build_object('geom', ST_AsGeoJSON(NEW.geom, 15, 2)::jsonb));
    RETURN NULL;
END $$;
