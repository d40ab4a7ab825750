-- Sandboxes get keys that are never used twice (AUTOINCREMENT): a process that still holds the
-- journal and scenarios of a deleted sandbox can never hand them to a new one that got its key.
-- And every space (0, the shared data, and each sandbox) gets its usage counted by triggers, in the
-- transaction of each write, so that MAX_LEADS_PER_SANDBOX and MAX_SANDBOX_BYTES are checked inside
-- that transaction, from any process, without counting rows.
CREATE TABLE sandboxes_keyed (
  key                  INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO sandboxes_keyed (key, id, name, token_digest, client_id, client_secret_digest, seed, created_at, expires_at)
SELECT key, id, name, token_digest, client_id, client_secret_digest, seed, created_at, expires_at FROM sandboxes;
DROP TABLE sandboxes;
ALTER TABLE sandboxes_keyed RENAME TO sandboxes;
CREATE INDEX sandboxes_by_expiry ON sandboxes (expires_at);
-- Past every key any row still carries, leads of a sandbox half-deleted included.
INSERT INTO sqlite_sequence (name, seq) SELECT 'sandboxes', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sandboxes');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(sandbox) FROM leads), 0)) WHERE name = 'sandboxes';

-- A lead's size: the bytes of its text as UTF-8 (JSON columns as stored) and 16 for its two numbers.
CREATE TABLE space_usage (
  space INTEGER PRIMARY KEY,
  leads INTEGER NOT NULL,
  bytes INTEGER NOT NULL
) STRICT;
INSERT INTO space_usage (space, leads, bytes)
SELECT sandbox, count(*), sum(length(CAST(leads.id AS BLOB)) + length(CAST(leads.name AS BLOB)) + length(CAST(leads.lastname AS BLOB)) + length(CAST(leads.business_name AS BLOB)) + length(CAST(leads.status AS BLOB)) + length(CAST(leads.phone AS BLOB)) + length(CAST(leads.email AS BLOB)) + length(CAST(leads.nit AS BLOB)) + length(CAST(leads.address AS BLOB)) + length(CAST(leads.ecosystem AS BLOB)) + length(CAST(leads.business_entity AS BLOB)) + length(CAST(leads.history AS BLOB)) + length(CAST(leads.payment_data AS BLOB)) + length(CAST(leads.additional_data AS BLOB)) + length(CAST(leads.extra AS BLOB)) + coalesce(length(CAST(leads.image AS BLOB)), 0) + coalesce(length(CAST(leads.apn_token AS BLOB)), 0) + 16) FROM leads GROUP BY sandbox;

CREATE TRIGGER leads_usage_insert AFTER INSERT ON leads BEGIN
  INSERT INTO space_usage (space, leads, bytes) VALUES (NEW.sandbox, 1, length(CAST(NEW.id AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.lastname AS BLOB)) + length(CAST(NEW.business_name AS BLOB)) + length(CAST(NEW.status AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.business_entity AS BLOB)) + length(CAST(NEW.history AS BLOB)) + length(CAST(NEW.payment_data AS BLOB)) + length(CAST(NEW.additional_data AS BLOB)) + length(CAST(NEW.extra AS BLOB)) + coalesce(length(CAST(NEW.image AS BLOB)), 0) + coalesce(length(CAST(NEW.apn_token AS BLOB)), 0) + 16)
  ON CONFLICT (space) DO UPDATE SET leads = leads + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER leads_usage_delete AFTER DELETE ON leads BEGIN
  UPDATE space_usage SET leads = leads - 1, bytes = bytes - (length(CAST(OLD.id AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.lastname AS BLOB)) + length(CAST(OLD.business_name AS BLOB)) + length(CAST(OLD.status AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.business_entity AS BLOB)) + length(CAST(OLD.history AS BLOB)) + length(CAST(OLD.payment_data AS BLOB)) + length(CAST(OLD.additional_data AS BLOB)) + length(CAST(OLD.extra AS BLOB)) + coalesce(length(CAST(OLD.image AS BLOB)), 0) + coalesce(length(CAST(OLD.apn_token AS BLOB)), 0) + 16) WHERE space = OLD.sandbox;
END;
-- A lead never changes sandbox: its space's bytes change by the difference.
CREATE TRIGGER leads_usage_update AFTER UPDATE ON leads BEGIN
  UPDATE space_usage SET bytes = bytes - (length(CAST(OLD.id AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.lastname AS BLOB)) + length(CAST(OLD.business_name AS BLOB)) + length(CAST(OLD.status AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.business_entity AS BLOB)) + length(CAST(OLD.history AS BLOB)) + length(CAST(OLD.payment_data AS BLOB)) + length(CAST(OLD.additional_data AS BLOB)) + length(CAST(OLD.extra AS BLOB)) + coalesce(length(CAST(OLD.image AS BLOB)), 0) + coalesce(length(CAST(OLD.apn_token AS BLOB)), 0) + 16) + (length(CAST(NEW.id AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.lastname AS BLOB)) + length(CAST(NEW.business_name AS BLOB)) + length(CAST(NEW.status AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.business_entity AS BLOB)) + length(CAST(NEW.history AS BLOB)) + length(CAST(NEW.payment_data AS BLOB)) + length(CAST(NEW.additional_data AS BLOB)) + length(CAST(NEW.extra AS BLOB)) + coalesce(length(CAST(NEW.image AS BLOB)), 0) + coalesce(length(CAST(NEW.apn_token AS BLOB)), 0) + 16) WHERE space = NEW.sandbox;
END;

PRAGMA user_version = 4;
