-- The benchmark's statement floor on a plain table, server side, for pgbench. Make the table first, in the same database:
--   create table bench_facts as select entity::text, concept::text, period::text, scope::text, dimensions::text as dims, value, decimals,
--     unit::text, document_id::text as document, published_on from ledger.stated_values where kind <> 'cited';
--   create index on bench_facts (entity, concept, period, dims); create index on bench_facts (entity, period); analyze bench_facts;
-- then: pgbench -n -M simple -T 6 -c 1 -f docs/pgbench-statement-floor.sql <database>
\set n random(0, 499)
select distinct on (concept, dims) concept, dims, value from bench_facts
where entity = 'B' || lpad(:n::text, 4, '0') || '.XX' and period = 'FY2016' and published_on <= '9999-12-31' order by concept, dims, published_on desc;
