-- The ledger's balance rule, checked once per INSERT statement instead of once per posting.
--
-- 0001 checked each posting at commit (a deferred row trigger summing its transaction's postings):
-- four lookups per captured payment, about a tenth of the database's work per webhook. Every
-- writer inserts a ledger transaction's postings in one statement, so the rule becomes: the
-- postings one statement adds balance per transaction. Each statement leaves every transaction
-- it touches balanced, so every transaction is always balanced — a stricter rule than at commit
-- (postings that balance only across two statements are refused), checked from the statement's
-- own rows without reading the table.
DROP TRIGGER ledger_postings_balanced ON ledger_postings;
DROP FUNCTION ledger_transaction_balances();

CREATE FUNCTION ledger_statement_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced bigint;
  net numeric;
BEGIN
  SELECT transaction_id, sum(amount) INTO unbalanced, net
  FROM added GROUP BY transaction_id HAVING sum(amount) <> 0 LIMIT 1;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (net %)', unbalanced, net
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_postings_balanced';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_postings_balanced
  AFTER INSERT ON ledger_postings REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_statement_balances();
