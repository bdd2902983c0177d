-- Reference lists: initial values, from the existing Access form (see PRODUCT.md).
-- Codes are stable identifiers (lowercase ASCII) that requests reference; labels and
-- positions are the administrators' to change afterwards, through the admin pages.

-- Positions follow the alphabetical order of the labels ("Le Perreux" under L).
INSERT INTO communes (code, label, in_territory, position) VALUES
    ('94015', 'Bry-sur-Marne',          true,  10),
    ('94017', 'Champigny-sur-Marne',    true,  20),
    ('94018', 'Charenton-le-Pont',      true,  30),
    ('94033', 'Fontenay-sous-Bois',     true,  40),
    ('94042', 'Joinville-le-Pont',      true,  50),
    ('94058', 'Le Perreux-sur-Marne',   true,  60),
    ('94046', 'Maisons-Alfort',         true,  70),
    ('94052', 'Nogent-sur-Marne',       true,  80),
    ('94067', 'Saint-Mandé',            true,  90),
    ('94068', 'Saint-Maur-des-Fossés',  true, 100),
    ('94069', 'Saint-Maurice',          true, 110),
    ('94079', 'Villiers-sur-Marne',     true, 120),
    ('94080', 'Vincennes',              true, 130);

INSERT INTO origins (code, label, position) VALUES
    ('telephone', 'Téléphone',       10),
    ('courriel',  'Courriel',        20),
    ('courrier',  'Courrier',        30),
    ('accueil',   'Accueil',         40),
    ('portail',   'Portail',         50),
    ('elu',       'Élu',             60),
    ('commune',   'Commune',         70),
    ('service',   'Service interne', 80);

INSERT INTO requester_natures (code, label, is_institution, position) VALUES
    ('particulier', 'Particulier',       false, 10),
    ('commune',     'Commune',           true,  20),
    ('service',     'Service technique', true,  30),
    ('entreprise',  'Entreprise',        false, 40),
    ('bailleur',    'Bailleur / syndic', false, 50),
    ('elu',         'Élu',               false, 60),
    ('autre',       'Autre',             false, 70);

INSERT INTO titles (code, label, position) VALUES
    ('m',   'M.',  10),
    ('mme', 'Mme', 20);

INSERT INTO objects (code, label, position) VALUES
    ('debordement_ep',          'Débordement EP',              10),
    ('debordement_eu',          'Débordement EU',              20),
    ('obstruction_branchement', 'Obstruction de branchement',  30),
    ('odeurs',                  'Odeurs',                      40),
    ('tampon_regard',           'Tampon ou regard endommagé',  50),
    ('affaissement',            'Affaissement',                60),
    ('avaloir_bouche',          'Avaloir bouché',              70),
    ('curage',                  'Curage',                      80),
    ('controle_conformite',     'Contrôle de conformité',      90),
    ('inondation_cave',         'Inondation de cave',         100),
    ('nuisibles',               'Nuisibles',                  110);

INSERT INTO teams (code, label, position) VALUES
    ('petits_travaux', 'Pôle petits travaux',    10),
    ('exploitation',   'Pôle exploitation',      20),
    ('conformite',     'Pôle conformité',        30),
    ('travaux_neufs',  'Pôle travaux neufs',     40),
    ('prestataire',    'Entreprise prestataire', 50);
