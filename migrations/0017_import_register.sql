-- An import records what its rows went into — the register, or a ledger with a geometry
-- (by its slug) — so that the list of imports can say so.
ALTER TABLE imports ADD COLUMN register text NOT NULL DEFAULT 'parcels'
    CONSTRAINT imports_register_check CHECK (register IN (
        'parcels', 'heavy-metal-firms', 'buried-tanks', 'waste-storage-sites',
        'new-projects', 'farmland-plots', 'unused-land-patrols'));
