-- An import can be cancelled from the page while it runs: its transaction is rolled back
-- and its job ends as cancelled (not failed, which says something went wrong).
ALTER TYPE import_status ADD VALUE 'cancelled';
