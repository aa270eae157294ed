-- Every parcel written (a district-wide import of 1,000,000 parcels: about 6 s of its write)
-- was inserted into two GiST indexes: the boundary's (CGCS2000) and its Web Mercator
-- copy's. Tiles now find their parcels by the boundary's index, with the tile's box in
-- longitude and latitude — exact, since Web Mercator maps longitude and latitude each on
-- its own, so a tile is a box in both — and read the stored copy only to draw it.
DROP INDEX parcels_geom_3857_gix;
