-- The full-text vector of a request (the list's free-text search), defined once and
-- computed in two ways:
--  * by a trigger, for every request the application records or edits;
--  * by the legacy import, for hundreds of thousands of rows at once: it computes the
--    vectors beforehand with PostgreSQL's parallel workers and inserts them with the
--    rows while the trigger is disabled (tools/import/merge.c).
-- It used to be a generated column, which PostgreSQL can only compute row by row
-- inside the INSERT, on one core: 12 s of a million-row import's 55 s, against 6 s
-- on both cores. The values already stored stay as they are.

CREATE FUNCTION iv_search_vector(requester_name text, address text,
                                 address_complement text, object_complement text,
                                 comment text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN to_tsvector('iv_french'::regconfig,
                   requester_name || ' ' || address || ' ' || address_complement || ' '
                   || object_complement || ' ' || comment);

CREATE FUNCTION iv_interventions_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := iv_search_vector(NEW.requester_name, NEW.address, NEW.address_complement,
                                   NEW.object_complement, NEW.comment);
    RETURN NEW;
END
$$;

ALTER TABLE interventions ALTER COLUMN search DROP EXPRESSION;

-- "search" among the columns: a statement that writes it directly gets it recomputed,
-- so that it always follows the text it is made of.
CREATE TRIGGER interventions_search
    BEFORE INSERT OR UPDATE OF requester_name, address, address_complement,
                               object_complement, comment, search
    ON interventions FOR EACH ROW EXECUTE FUNCTION iv_interventions_search();
