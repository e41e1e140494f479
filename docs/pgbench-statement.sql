-- A 100-line statement's rows as the ledger reads them (FigureReads.ForStatementAsync), server side, for pgbench on a
-- `medium` ledger (entities B0000.XX … B0499.XX): pgbench -n -M simple -T 6 -c 1 -f docs/pgbench-statement.sql <database>
\set n random(0, 499)
select figure, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, location_table, location_row, location_line, details
from ledger.stated_values where entity = 'B' || lpad(:n::text, 4, '0') || '.XX' and period = any(array['FY2016', '2016-12-31']) order by position;
