-- Sandboxes: private copies of the data, each opened by its own token, so that parallel suites and
-- CI jobs can share one server. A lead now belongs to a sandbox; sandbox 0 is the shared data that
-- the configured API tokens see. Tokens are kept as SHA-256 digests (hex), never as themselves.
CREATE TABLE sandboxes (
  key                  INTEGER PRIMARY KEY,
  id                   TEXT    NOT NULL UNIQUE,
  name                 TEXT,
  token_digest         TEXT    NOT NULL UNIQUE,
  client_id            TEXT    NOT NULL UNIQUE,
  client_secret_digest TEXT    NOT NULL,
  -- 'demo', 'none', or the JSON array of leads it was created with: what its reset goes back to
  seed                 TEXT    NOT NULL,
  created_at           INTEGER NOT NULL,
  expires_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX sandboxes_by_expiry ON sandboxes (expires_at);

-- The leads table again, with its sandbox: SQLite cannot change a UNIQUE constraint in place, so
-- the rows move to a new table, seq (their order) and all, and sandbox 0 takes every existing lead.
CREATE TABLE leads_with_sandbox (
  seq             INTEGER PRIMARY KEY,
  sandbox         INTEGER NOT NULL DEFAULT 0,
  id              TEXT    NOT NULL,
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
                  CHECK (json_valid(additional_data) AND json_type(additional_data) = 'object'),
  UNIQUE (sandbox, id)
) STRICT;

INSERT INTO leads_with_sandbox (seq, sandbox, id, name, lastname, business_name, status, phone, email, nit,
  address, ecosystem, business_entity, quota, image, score, apn_token, history, payment_data, additional_data)
SELECT seq, 0, id, name, lastname, business_name, status, phone, email, nit,
  address, ecosystem, business_entity, quota, image, score, apn_token, history, payment_data, additional_data
FROM leads;

DROP TABLE leads;
ALTER TABLE leads_with_sandbox RENAME TO leads;

-- Every lookup stays an index range scan within one sandbox, already in seq order.
CREATE INDEX leads_by_ecosystem ON leads (sandbox, ecosystem, seq);
CREATE INDEX leads_by_phone ON leads (sandbox, phone, seq);

PRAGMA user_version = 2;
