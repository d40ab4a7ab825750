-- LeanCore leads: one row per lead, 18 fields as the Lead API returns them.
-- seq is the insertion order: it is the order GET /lead returns an ecosystem's leads in,
-- and an upsert keeps it (ON CONFLICT DO UPDATE does not change the rowid).
-- STRICT: SQLite would otherwise coerce '123' into 123 and back, changing what a client reads.
CREATE TABLE leads (
  seq             INTEGER PRIMARY KEY,
  id              TEXT    NOT NULL UNIQUE,
  name            TEXT    NOT NULL,
  lastname        TEXT    NOT NULL,
  business_name   TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  phone           TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  nit             TEXT    NOT NULL,
  address         TEXT    NOT NULL,
  ecosystem       TEXT    NOT NULL,
  business_entity TEXT    NOT NULL,
  quota           REAL    NOT NULL,
  image           TEXT,
  score           REAL,
  apn_token       TEXT,
  history         TEXT    NOT NULL DEFAULT '[]'
                  CHECK (json_valid(history) AND json_type(history) = 'array'),
  payment_data    TEXT    NOT NULL DEFAULT '{}'
                  CHECK (json_valid(payment_data) AND json_type(payment_data) = 'object'),
  additional_data TEXT    NOT NULL DEFAULT '{}'
                  CHECK (json_valid(additional_data) AND json_type(additional_data) = 'object')
) STRICT;

-- Both lookups of GET /lead are index range scans that already come out in seq order.
CREATE INDEX leads_by_ecosystem ON leads (ecosystem, seq);
CREATE INDEX leads_by_phone ON leads (phone, seq);

PRAGMA user_version = 1;
