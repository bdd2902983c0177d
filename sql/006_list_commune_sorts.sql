-- The list filtered on one commune and sorted by Adresse or Demandeur (a lecteur's
-- everyday view, and the secretariat's "rue par rue" for a commune): with the commune
-- first, the page is read in order off the index, the other filters checked on the
-- way. Without it the planner had to choose between walking every address of the
-- territory (1,800 entries read for a page 3 at a million requests, 2.8 ms) and
-- sorting the commune's tens of thousands of matching rows.
CREATE INDEX interventions_commune_address
    ON interventions (commune_code, address COLLATE iv_fr, id);
CREATE INDEX interventions_commune_requester
    ON interventions (commune_code, requester_name COLLATE iv_fr, id);
