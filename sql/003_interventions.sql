-- Intervention requests: the request itself, its yearly numbering, its history and
-- its attachments. Times are stored as timestamptz and shown in Paris time.

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Europe/Paris');
END
$$;
SET timezone = 'Europe/Paris';

-- French full text without accents: "eglise" finds "Église".
CREATE TEXT SEARCH CONFIGURATION iv_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION iv_french
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- Statuses follow the work; labels are data, codes are what the module knows.
CREATE TABLE statuses (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    position integer NOT NULL
);
INSERT INTO statuses (code, label, position) VALUES
    ('nouvelle',  'Nouvelle',  10),
    ('transmise', 'Transmise', 20),
    ('planifiee', 'Planifiée', 30),
    ('en_cours',  'En cours',  40),
    ('realisee',  'Réalisée',  50),
    ('cloturee',  'Clôturée',  60),
    ('annulee',   'Annulée',   70);

-- Per-year counters for "N° 2026 / 58": updated in the same transaction as the
-- insert (row lock), so numbers have no gap and no duplicate.
CREATE TABLE year_counters (
    year        integer PRIMARY KEY,
    last_number integer NOT NULL
);

CREATE TABLE interventions (
    id                 bigserial PRIMARY KEY,
    year               integer NOT NULL,
    number             integer NOT NULL,
    version            integer NOT NULL DEFAULT 1,     -- optimistic concurrency
    status             text NOT NULL DEFAULT 'nouvelle' REFERENCES statuses(code),
    -- Information de la demande
    origin_code        text NOT NULL REFERENCES origins(code),
    received_at        timestamptz NOT NULL,
    nature_code        text NOT NULL REFERENCES requester_natures(code),
    title_code         text REFERENCES titles(code),
    requester_name     text NOT NULL DEFAULT '',
    address            text NOT NULL,
    commune_code       text NOT NULL REFERENCES communes(code),
    phone              text NOT NULL DEFAULT '',        -- normalised: 0123456789 or +CC...
    email              text NOT NULL DEFAULT '',
    address_complement text NOT NULL DEFAULT '',
    object_code        text NOT NULL REFERENCES objects(code),
    object_complement  text NOT NULL DEFAULT '',
    -- Information de l'intervention
    team_code          text REFERENCES teams(code),
    assigned_agent     text REFERENCES agents(code),
    transmitted_at     timestamptz,
    planned_at         timestamptz,
    started_at         timestamptz,
    ended_at           timestamptz,
    comment            text NOT NULL DEFAULT '',
    latitude           double precision,
    longitude          double precision,
    -- Information sur l'intervention réalisée
    done_by            text REFERENCES agents(code),
    closed_by          text REFERENCES agents(code),
    status_reason      text NOT NULL DEFAULT '',        -- why cancelled or reopened
    -- bookkeeping
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text NOT NULL,
    updated_by_name    text NOT NULL DEFAULT '',
    search             tsvector GENERATED ALWAYS AS (
        to_tsvector('iv_french'::regconfig,
            requester_name || ' ' || address || ' ' || address_complement || ' '
            || object_complement || ' ' || comment)) STORED,
    UNIQUE (year, number),
    CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
    CHECK (transmitted_at IS NULL OR transmitted_at >= received_at),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

-- The list's default order and the common filters; the list issue refines these.
CREATE INDEX interventions_received ON interventions (received_at DESC, id DESC);
CREATE INDEX interventions_status ON interventions (status, received_at DESC, id DESC);
CREATE INDEX interventions_commune ON interventions (commune_code, received_at DESC, id DESC);
CREATE INDEX interventions_team ON interventions (team_code, received_at DESC, id DESC);
CREATE INDEX interventions_number ON interventions (number);
CREATE INDEX interventions_search ON interventions USING gin (search);

-- Who did what, when: creation, every field change (old → new), every status
-- change, printings, attachments. Written in the same transaction as the change.
CREATE TABLE intervention_history (
    id              bigserial PRIMARY KEY,
    intervention_id bigint NOT NULL REFERENCES interventions(id),
    at              timestamptz NOT NULL DEFAULT now(),
    login           text NOT NULL,
    display_name    text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('creation', 'modification', 'statut',
                                                  'impression', 'piece', 'import')),
    field           text NOT NULL DEFAULT '',
    old_value       text NOT NULL DEFAULT '',
    new_value       text NOT NULL DEFAULT '',
    reason          text NOT NULL DEFAULT ''
);
CREATE INDEX intervention_history_request ON intervention_history (intervention_id, id);

CREATE TABLE attachments (
    intervention_id bigint NOT NULL REFERENCES interventions(id),
    n               integer NOT NULL,
    original_name   text NOT NULL,
    stored_name     text NOT NULL UNIQUE,
    content_type    text NOT NULL,
    size            bigint NOT NULL CHECK (size >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text NOT NULL,
    PRIMARY KEY (intervention_id, n)
);
