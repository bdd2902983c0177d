-- Legacy import (tools/interventions-import): the requests typed for years into the
-- department's Microsoft Access file. The tool stages and cleans the rows in temporary
-- tables of its own session (nothing of them is left in the database); what stays is
-- below: the source key of each imported request, the correspondence tables the admin
-- completes, the communes the legacy rows may name outside the territory, and the
-- record of every import with its report.

-- The source key of an imported request: 'access:' and 32 hex digits of the SHA-256
-- of the row's values as read from the source (field order of the Access table,
-- white space trimmed). The same row read again gives the same key, whatever the
-- file's format, encoding or row order: a re-run imports only what is new. Requests
-- recorded in the application have none; a partial index keeps them out.
ALTER TABLE interventions ADD COLUMN legacy_key text;
CREATE UNIQUE INDEX interventions_legacy_key ON interventions (legacy_key)
    WHERE legacy_key IS NOT NULL;

-- Every run of the tool, dry runs included, with its summary and its report (the CSV
-- of every row not imported as it was read), served by admin/imports.
CREATE TABLE imports (
    id              bigserial PRIMARY KEY,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    login           text NOT NULL,               -- who ran it (--user, or the system account)
    source_name     text NOT NULL,               -- file name, without its directory
    source_format   text NOT NULL CHECK (source_format IN ('csv', 'mdb')),
    source_sha256   text NOT NULL,
    source_encoding text NOT NULL DEFAULT '',    -- as detected: UTF-8, Windows-1252…
    dry_run         boolean NOT NULL,
    create_missing  boolean NOT NULL DEFAULT false,
    rows_read       integer NOT NULL DEFAULT 0,
    rows_imported   integer NOT NULL DEFAULT 0,
    rows_corrected  integer NOT NULL DEFAULT 0,  -- imported with at least one correction
    rows_duplicate  integer NOT NULL DEFAULT 0,
    rows_rejected   integer NOT NULL DEFAULT 0,
    rows_already    integer NOT NULL DEFAULT 0,  -- imported by an earlier run
    summary         text NOT NULL DEFAULT '',    -- as printed by the tool
    report_csv      text NOT NULL DEFAULT '',    -- UTF-8, ';' separated, header line first
    report_lines    integer NOT NULL DEFAULT 0
);
CREATE INDEX imports_started ON imports (started_at DESC, id DESC);

-- Why rows were rejected, reported as duplicates or corrected, counted per import.
CREATE TABLE import_reasons (
    import_id bigint NOT NULL REFERENCES imports(id),
    position  integer NOT NULL,
    outcome   text NOT NULL CHECK (outcome IN ('rejetee', 'doublon', 'corrigee', 'signalee')),
    reason    text NOT NULL,
    rows      integer NOT NULL,
    PRIMARY KEY (import_id, position)
);

-- Correspondence tables: a value as the legacy file spells it → the code of a
-- reference value. Matching ignores case, accents, punctuation and spacing ("TEL.",
-- "tél" and "Tel" are one key), so one row per spelling family is enough. Values the
-- tool does not recognise are reported; the admin adds rows here (or runs the tool
-- with --create-missing, which adds inactive reference values and their rows) and
-- runs the import again. code is checked by the tool against the list's table.
CREATE TABLE import_mappings (
    list         text NOT NULL CHECK (list IN ('origines', 'natures', 'objets', 'equipes',
                                               'agents', 'communes')),
    legacy_value text NOT NULL,
    code         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT 'migration',
    PRIMARY KEY (list, legacy_value)
);

INSERT INTO import_mappings (list, legacy_value, code) VALUES
    ('origines', 'Tél', 'telephone'), ('origines', 'Tel.', 'telephone'),
    ('origines', 'Appel', 'telephone'), ('origines', 'Appel téléphonique', 'telephone'),
    ('origines', 'Téléphone / répondeur', 'telephone'), ('origines', 'Répondeur', 'telephone'),
    ('origines', 'Mail', 'courriel'), ('origines', 'E-mail', 'courriel'),
    ('origines', 'Mél', 'courriel'), ('origines', 'Messagerie', 'courriel'),
    ('origines', 'Lettre', 'courrier'), ('origines', 'Courrier postal', 'courrier'),
    ('origines', 'Fax', 'courrier'),
    ('origines', 'Guichet', 'accueil'), ('origines', 'Sur place', 'accueil'),
    ('origines', 'Visite', 'accueil'),
    ('origines', 'Internet', 'portail'), ('origines', 'Site internet', 'portail'),
    ('origines', 'Formulaire web', 'portail'),
    ('origines', 'Elu(e)', 'elu'), ('origines', 'Maire', 'elu'), ('origines', 'Adjoint', 'elu'),
    ('origines', 'Mairie', 'commune'), ('origines', 'Ville', 'commune'),
    ('origines', 'Service', 'service'), ('origines', 'Interne', 'service'),
    ('origines', 'Services techniques', 'service'),
    ('natures', 'Riverain', 'particulier'), ('natures', 'Habitant', 'particulier'),
    ('natures', 'Propriétaire', 'particulier'), ('natures', 'Locataire', 'particulier'),
    ('natures', 'Usager', 'particulier'), ('natures', 'Part.', 'particulier'),
    ('natures', 'Mairie', 'commune'), ('natures', 'Ville', 'commune'),
    ('natures', 'ST', 'service'), ('natures', 'Services techniques', 'service'),
    ('natures', 'Service', 'service'),
    ('natures', 'Société', 'entreprise'), ('natures', 'SARL', 'entreprise'),
    ('natures', 'Artisan', 'entreprise'), ('natures', 'Commerce', 'entreprise'),
    ('natures', 'Commerçant', 'entreprise'),
    ('natures', 'Syndic', 'bailleur'), ('natures', 'Bailleur', 'bailleur'),
    ('natures', 'Gardien', 'bailleur'), ('natures', 'Copropriété', 'bailleur'),
    ('natures', 'OPH', 'bailleur'), ('natures', 'Bailleur social', 'bailleur'),
    ('natures', 'Elu(e)', 'elu'), ('natures', 'Conseiller municipal', 'elu'),
    ('objets', 'Débordement eaux pluviales', 'debordement_ep'), ('objets', 'Déb. EP', 'debordement_ep'),
    ('objets', 'Debordement pluvial', 'debordement_ep'),
    ('objets', 'Débordement eaux usées', 'debordement_eu'), ('objets', 'Déb. EU', 'debordement_eu'),
    ('objets', 'Refoulement', 'debordement_eu'),
    ('objets', 'Branchement bouché', 'obstruction_branchement'),
    ('objets', 'Bouchage branchement', 'obstruction_branchement'),
    ('objets', 'Obstruction', 'obstruction_branchement'),
    ('objets', 'Débouchage', 'obstruction_branchement'),
    ('objets', 'Odeur', 'odeurs'), ('objets', 'Mauvaises odeurs', 'odeurs'),
    ('objets', 'Odeurs égout', 'odeurs'),
    ('objets', 'Tampon', 'tampon_regard'), ('objets', 'Regard', 'tampon_regard'),
    ('objets', 'Tampon cassé', 'tampon_regard'), ('objets', 'Regard cassé', 'tampon_regard'),
    ('objets', 'Tampon bruyant', 'tampon_regard'),
    ('objets', 'Affaissement chaussée', 'affaissement'), ('objets', 'Effondrement', 'affaissement'),
    ('objets', 'Avaloir', 'avaloir_bouche'), ('objets', 'Avaloir obstrué', 'avaloir_bouche'),
    ('objets', 'Grille bouchée', 'avaloir_bouche'),
    ('objets', 'Curage réseau', 'curage'), ('objets', 'Hydrocurage', 'curage'),
    ('objets', 'Contrôle', 'controle_conformite'), ('objets', 'Conformité', 'controle_conformite'),
    ('objets', 'Contrôle branchement', 'controle_conformite'),
    ('objets', 'Cave inondée', 'inondation_cave'), ('objets', 'Inondation', 'inondation_cave'),
    ('objets', 'Rats', 'nuisibles'), ('objets', 'Dératisation', 'nuisibles'),
    ('objets', 'Cafards', 'nuisibles'),
    ('equipes', 'PPT', 'petits_travaux'), ('equipes', 'Petits travaux', 'petits_travaux'),
    ('equipes', 'Exploitation', 'exploitation'), ('equipes', 'Exploit.', 'exploitation'),
    ('equipes', 'Conformité', 'conformite'), ('equipes', 'Travaux neufs', 'travaux_neufs'),
    ('equipes', 'TN', 'travaux_neufs'), ('equipes', 'Prestataire', 'prestataire'),
    ('equipes', 'Entreprise', 'prestataire'),
    ('communes', 'St Maur', '94068'), ('communes', 'Saint-Maur', '94068'),
    ('communes', 'St Mandé', '94067'), ('communes', 'St Maurice', '94069'),
    ('communes', 'Champigny', '94017'), ('communes', 'Charenton', '94018'),
    ('communes', 'Fontenay', '94033'), ('communes', 'Joinville', '94042'),
    ('communes', 'Le Perreux', '94058'), ('communes', 'Perreux', '94058'),
    ('communes', 'Maisons Alfort', '94046'), ('communes', 'Nogent', '94052'),
    ('communes', 'Villiers', '94079'), ('communes', 'Bry', '94015');

-- Communes that legacy rows may name outside the territory, with their INSEE codes:
-- the rest of Val-de-Marne, Paris and the nearest communes of Seine-Saint-Denis. A row
-- that names one is imported and reported ("hors territoire"); the commune is added
-- to `communes` (in_territory false, inactive) the first time a request needs it.
-- Others can be added here, or created in admin/referentiels and mapped.
CREATE TABLE import_communes (
    code  text PRIMARY KEY,
    label text NOT NULL UNIQUE
);
INSERT INTO import_communes (code, label) VALUES
    ('94001', 'Ablon-sur-Seine'), ('94002', 'Alfortville'), ('94003', 'Arcueil'),
    ('94004', 'Boissy-Saint-Léger'), ('94011', 'Bonneuil-sur-Marne'), ('94016', 'Cachan'),
    ('94019', 'Chennevières-sur-Marne'), ('94021', 'Chevilly-Larue'),
    ('94022', 'Choisy-le-Roi'), ('94028', 'Créteil'), ('94034', 'Fresnes'),
    ('94037', 'Gentilly'), ('94038', 'L''Haÿ-les-Roses'), ('94041', 'Ivry-sur-Seine'),
    ('94043', 'Le Kremlin-Bicêtre'), ('94044', 'Limeil-Brévannes'),
    ('94047', 'Mandres-les-Roses'), ('94048', 'Marolles-en-Brie'), ('94053', 'Noiseau'),
    ('94054', 'Orly'), ('94055', 'Ormesson-sur-Marne'), ('94056', 'Périgny'),
    ('94059', 'Le Plessis-Trévise'), ('94060', 'La Queue-en-Brie'), ('94065', 'Rungis'),
    ('94070', 'Santeny'), ('94071', 'Sucy-en-Brie'), ('94073', 'Thiais'),
    ('94074', 'Valenton'), ('94075', 'Villecresnes'), ('94076', 'Villejuif'),
    ('94077', 'Villeneuve-le-Roi'), ('94078', 'Villeneuve-Saint-Georges'),
    ('94081', 'Vitry-sur-Seine'),
    ('75056', 'Paris'),
    ('93006', 'Bagnolet'), ('93048', 'Montreuil'), ('93049', 'Neuilly-Plaisance'),
    ('93050', 'Neuilly-sur-Marne'), ('93051', 'Noisy-le-Grand'), ('93064', 'Rosny-sous-Bois');
