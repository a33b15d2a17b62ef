CREATE OR REPLACE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
DO $$ BEGIN RAISE NOTICE 'x;'; END $$;
SELECT E'a\';b', $1, a$$b, B'101', N'x' :: text;
/* outer /* nested; */ still; */
CREATE RULE r AS ON INSERT TO t DO (INSERT INTO u VALUES (1); INSERT INTO v VALUES (2));
CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;
SELECT a->>'k', b <> c, d || e;
