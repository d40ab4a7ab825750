-- The lead's lifecycle after the read, as LeanCore documents it: a lead is assigned to a financial
-- entity (a fintech of its ecosystem), then turned into a client, which makes it a user of that
-- fintech. Each space (0, the shared data, and each sandbox) has its own fintechs and users, as it has
-- its own leads; they count against the same limits (space_usage), as records of the space.
CREATE TABLE financial_entities (
  seq           INTEGER PRIMARY KEY,
  sandbox       INTEGER NOT NULL,
  uid           TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  nit           TEXT    NOT NULL,
  ecosystem     TEXT    NOT NULL,
  email         TEXT    NOT NULL,
  phone         TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  loan_products TEXT    NOT NULL DEFAULT '{}'
                CHECK (json_valid(loan_products) AND json_type(loan_products) = 'object'),
  UNIQUE (sandbox, uid)
) STRICT;
CREATE INDEX financial_entities_by_ecosystem ON financial_entities (sandbox, ecosystem, seq);

-- A user is the lead it was (the same id and fields), the fintech it is a client of, and what it may
-- still borrow.
CREATE TABLE users (
  seq              INTEGER PRIMARY KEY,
  sandbox          INTEGER NOT NULL,
  id               TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  lastname         TEXT    NOT NULL,
  business_name    TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  phone            TEXT    NOT NULL,
  email            TEXT    NOT NULL,
  nit              TEXT    NOT NULL,
  address          TEXT    NOT NULL,
  ecosystem        TEXT    NOT NULL,
  business_entity  TEXT    NOT NULL,
  quota            REAL    NOT NULL,
  image            TEXT,
  score            REAL,
  apn_token        TEXT,
  history          TEXT    NOT NULL DEFAULT '[]'
                   CHECK (json_valid(history) AND json_type(history) = 'array'),
  payment_data     TEXT    NOT NULL DEFAULT '{}'
                   CHECK (json_valid(payment_data) AND json_type(payment_data) = 'object'),
  additional_data  TEXT    NOT NULL DEFAULT '{}'
                   CHECK (json_valid(additional_data) AND json_type(additional_data) = 'object'),
  financial_entity TEXT    NOT NULL,
  available_quota  REAL    NOT NULL,
  UNIQUE (sandbox, id)
) STRICT;
CREATE INDEX users_by_nit ON users (sandbox, nit, seq);
CREATE INDEX users_by_phone ON users (sandbox, phone, seq);
CREATE INDEX users_by_financial_entity ON users (sandbox, financial_entity, seq);

-- The fintech a lead is assigned to (its uid), until it is turned into a client. Never shown by GET /lead.
ALTER TABLE leads ADD COLUMN financial_entity TEXT;

-- space_usage.leads counts every record of the space, fintechs and users too (what
-- MAX_LEADS_PER_SANDBOX limits); these say how many of them are fintechs and users.
ALTER TABLE space_usage ADD COLUMN financial_entities INTEGER NOT NULL DEFAULT 0;
ALTER TABLE space_usage ADD COLUMN users INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER financial_entities_usage_insert AFTER INSERT ON financial_entities BEGIN
  INSERT INTO space_usage (space, leads, financial_entities, bytes) VALUES (NEW.sandbox, 1, 1, length(CAST(NEW.uid AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.loan_products AS BLOB)) + 0)
  ON CONFLICT (space) DO UPDATE SET leads = leads + 1, financial_entities = financial_entities + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER financial_entities_usage_delete AFTER DELETE ON financial_entities BEGIN
  UPDATE space_usage SET leads = leads - 1, financial_entities = financial_entities - 1, bytes = bytes - (length(CAST(OLD.uid AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.loan_products AS BLOB)) + 0) WHERE space = OLD.sandbox;
END;
CREATE TRIGGER financial_entities_usage_update AFTER UPDATE ON financial_entities BEGIN
  UPDATE space_usage SET bytes = bytes - (length(CAST(OLD.uid AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.loan_products AS BLOB)) + 0) + (length(CAST(NEW.uid AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.loan_products AS BLOB)) + 0) WHERE space = NEW.sandbox;
END;

CREATE TRIGGER users_usage_insert AFTER INSERT ON users BEGIN
  INSERT INTO space_usage (space, leads, users, bytes) VALUES (NEW.sandbox, 1, 1, length(CAST(NEW.id AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.lastname AS BLOB)) + length(CAST(NEW.business_name AS BLOB)) + length(CAST(NEW.status AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.business_entity AS BLOB)) + length(CAST(NEW.history AS BLOB)) + length(CAST(NEW.payment_data AS BLOB)) + length(CAST(NEW.additional_data AS BLOB)) + length(CAST(NEW.financial_entity AS BLOB)) + coalesce(length(CAST(NEW.image AS BLOB)), 0) + coalesce(length(CAST(NEW.apn_token AS BLOB)), 0) + 24)
  ON CONFLICT (space) DO UPDATE SET leads = leads + 1, users = users + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER users_usage_delete AFTER DELETE ON users BEGIN
  UPDATE space_usage SET leads = leads - 1, users = users - 1, bytes = bytes - (length(CAST(OLD.id AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.lastname AS BLOB)) + length(CAST(OLD.business_name AS BLOB)) + length(CAST(OLD.status AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.business_entity AS BLOB)) + length(CAST(OLD.history AS BLOB)) + length(CAST(OLD.payment_data AS BLOB)) + length(CAST(OLD.additional_data AS BLOB)) + length(CAST(OLD.financial_entity AS BLOB)) + coalesce(length(CAST(OLD.image AS BLOB)), 0) + coalesce(length(CAST(OLD.apn_token AS BLOB)), 0) + 24) WHERE space = OLD.sandbox;
END;
CREATE TRIGGER users_usage_update AFTER UPDATE ON users BEGIN
  UPDATE space_usage SET bytes = bytes - (length(CAST(OLD.id AS BLOB)) + length(CAST(OLD.name AS BLOB)) + length(CAST(OLD.lastname AS BLOB)) + length(CAST(OLD.business_name AS BLOB)) + length(CAST(OLD.status AS BLOB)) + length(CAST(OLD.phone AS BLOB)) + length(CAST(OLD.email AS BLOB)) + length(CAST(OLD.nit AS BLOB)) + length(CAST(OLD.address AS BLOB)) + length(CAST(OLD.ecosystem AS BLOB)) + length(CAST(OLD.business_entity AS BLOB)) + length(CAST(OLD.history AS BLOB)) + length(CAST(OLD.payment_data AS BLOB)) + length(CAST(OLD.additional_data AS BLOB)) + length(CAST(OLD.financial_entity AS BLOB)) + coalesce(length(CAST(OLD.image AS BLOB)), 0) + coalesce(length(CAST(OLD.apn_token AS BLOB)), 0) + 24) + (length(CAST(NEW.id AS BLOB)) + length(CAST(NEW.name AS BLOB)) + length(CAST(NEW.lastname AS BLOB)) + length(CAST(NEW.business_name AS BLOB)) + length(CAST(NEW.status AS BLOB)) + length(CAST(NEW.phone AS BLOB)) + length(CAST(NEW.email AS BLOB)) + length(CAST(NEW.nit AS BLOB)) + length(CAST(NEW.address AS BLOB)) + length(CAST(NEW.ecosystem AS BLOB)) + length(CAST(NEW.business_entity AS BLOB)) + length(CAST(NEW.history AS BLOB)) + length(CAST(NEW.payment_data AS BLOB)) + length(CAST(NEW.additional_data AS BLOB)) + length(CAST(NEW.financial_entity AS BLOB)) + coalesce(length(CAST(NEW.image AS BLOB)), 0) + coalesce(length(CAST(NEW.apn_token AS BLOB)), 0) + 24) WHERE space = NEW.sandbox;
END;

PRAGMA user_version = 5;
