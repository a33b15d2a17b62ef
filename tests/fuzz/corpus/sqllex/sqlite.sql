CREATE TABLE t (id INTEGER PRIMARY KEY, "na;me" TEXT, [x;y] INT, `z;` INT);
INSERT INTO t VALUES (1, 'it''s; ok', X'ab', 0x1F, 1.5e-3);
-- a comment; here
/* block; comment */
CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN
  UPDATE t SET a = CASE WHEN 1 THEN 2 END;
  SELECT 1;
END;
