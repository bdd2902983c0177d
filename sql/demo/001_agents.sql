-- Demo data (loaded by tools/stack when IV_DEMO=1, at every start): agents rows of
-- the demo directory's users (conf/demo-directory.ldif). Idempotent.

INSERT INTO agents (code, label, team_code, position) VALUES
    ('admin',       'Claire Martin',  NULL,             10),
    ('responsable', 'Marc Lefèvre',   NULL,             20),
    ('secretariat', 'Marie Dupont',   NULL,             30),
    ('intervenant', 'Jérôme Petit',   'petits_travaux', 40),
    ('lecteur',     'Élodie Bernard', NULL,             50)
ON CONFLICT (code) DO NOTHING;
