-- LeanCore's write routes (POST /create-lead, POST /update-lead) take fields the 18 keys of a lead
-- do not have (incomes, expenses, created_at, records, loan_priority, branch_office). They are kept,
-- as one JSON object per lead, so that nothing a client wrote is silently dropped; GET /lead never
-- shows them. ADD COLUMN keeps every row and its seq: no table rebuild.
ALTER TABLE leads ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(extra) AND json_type(extra) = 'object');

-- GET /lead?nit= and the duplicate-NIT check of create-lead: an index range scan within one sandbox.
CREATE INDEX leads_by_nit ON leads (sandbox, nit, seq);

PRAGMA user_version = 3;
