-- The list page ("Demandes d'intervention") at a million requests: French sort order,
-- the indexes its filters and sorts need, and planner settings for its prepared
-- statements. The SQL itself is in mod_interventions/store_list.c.
--
-- Indexes already there (003) and what the list uses them for:
--   interventions_received (received_at DESC, id DESC)  default view, sort by date, date range
--   interventions_status   (status, received_at DESC, id DESC)     status filter, sort by status
--   interventions_commune  (commune_code, received_at DESC, id DESC) commune filter and
--                          perimeter of a lecteur, sort by commune
--   interventions_team     (team_code, received_at DESC, id DESC)  team filter, perimeter of
--                          an intervenant, sort by team
--   UNIQUE (year, number)  sort by number, search "2026 / 58"
--   interventions_number   (number)                                search "58" (any year)
--   interventions_search   GIN (search)                            free text
-- Sorting by a reference column (commune, object, team, status) walks these indexes one
-- value at a time, in label order: see store_list.c.

-- Names and addresses sort as a French reader expects: accents and case do not decide
-- before the letters ("Écoles" between "Dupont" and "Fabre"), and numbers inside the
-- text compare as numbers ("2 rue" before "10 rue"). Deterministic, so equal strings are
-- byte-equal and the id tie-break stays meaningful.
CREATE COLLATION iv_fr (provider = icu, locale = 'fr-u-kn-true');

-- Sort by Demandeur / Adresse, tie-break on id: a page is read straight off the index.
CREATE INDEX interventions_requester ON interventions (requester_name COLLATE iv_fr, id);
CREATE INDEX interventions_address ON interventions (address COLLATE iv_fr, id);

-- Object filter and sort by object (the other reference columns have theirs in 003).
CREATE INDEX interventions_object ON interventions (object_code, received_at DESC, id DESC);

-- The everyday combination of the secretariat and the lecteurs: one commune, a few
-- statuses, a date range. Equality columns first, the range last: the scan touches only
-- matching entries whatever the sort asked for.
CREATE INDEX interventions_commune_status
    ON interventions (commune_code, status, received_at DESC, id DESC);

-- Agent filter (done_by or assigned_agent) and the intervenant's own requests. Most
-- requests have neither (old ones, untransmitted ones): partial indexes stay small.
CREATE INDEX interventions_done_by ON interventions (done_by) WHERE done_by IS NOT NULL;
CREATE INDEX interventions_assigned ON interventions (assigned_agent)
    WHERE assigned_agent IS NOT NULL;

-- Every optional filter is written "(%s = '' OR column = %s)" in one prepared statement
-- per sort. A generic plan cannot know which filters are empty and would scan; custom
-- plans fold the empty ones away and pick the index of the filters given. Planning costs
-- a fraction of a millisecond per execution, well below what a wrong plan costs.
-- JIT compilation helps long analytic queries, not pages of 25 rows: its 20-100 ms of
-- compilation would only add latency when the planner's estimate crosses jit_above_cost.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
