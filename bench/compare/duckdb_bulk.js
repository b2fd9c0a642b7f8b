// The DuckDB peer of bench/search-compare's bulk part: Splink-style linkage of a list against
// the persons in SQL. Block on place (hometown code) and birth year, compare every name form of
// each blocked person with Jaro-Winkler, keep the best 10 persons per list row.
//
//   NODE_PATH=.../node_modules node duckdb_bulk.js PERSONS.csv LIST.csv OUT.tsv
//
// PERSONS.csv is `izde export persons`; LIST.csv has row, kind, person_id, name, birth, place.
// OUT.tsv: row, person_id, rank. Prints a JSON line with load_s and match_s.
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [personsPath, listPath, outPath] = process.argv.slice(2);
  const quote = (text) => `'${text.replaceAll("'", "''")}'`;
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const db = await instance.connect();

  let start = performance.now();
  await db.run(`
    CREATE TABLE forms AS
    SELECT CAST(substr(id, 3) AS BIGINT) AS id, hometown_code AS place,
           TRY_CAST(regexp_extract(birth_date, '([0-9]{4})', 1) AS INTEGER) AS birth_year,
           lower(unnest(list_concat([name], coalesce(string_split(alt_names, ' | '), [])))) AS form
    FROM read_csv(${quote(personsPath)}, header = true, all_varchar = true)`);
  await db.run(`
    CREATE TABLE list AS
    SELECT CAST("row" AS INTEGER) AS row_id, lower(name) AS name, place,
           TRY_CAST(birth AS INTEGER) AS birth_year
    FROM read_csv(${quote(listPath)}, header = true, all_varchar = true)`);
  const loadSeconds = (performance.now() - start) / 1000;

  start = performance.now();
  await db.run(`
    CREATE TABLE best AS
    SELECT row_id, id, rank FROM (
      SELECT row_id, id, row_number() OVER (PARTITION BY row_id ORDER BY jw DESC, id) AS rank
      FROM (
        SELECT l.row_id, f.id, max(jaro_winkler_similarity(l.name, f.form)) AS jw
        FROM list l JOIN forms f ON l.place = f.place AND l.birth_year = f.birth_year
        GROUP BY l.row_id, f.id))
    WHERE rank <= 10`);
  const matchSeconds = (performance.now() - start) / 1000;

  await db.run(`COPY best TO ${quote(outPath)} (HEADER false, DELIMITER '\t')`);
  console.log(JSON.stringify({ load_s: loadSeconds, match_s: matchSeconds }));
}

main().catch((error) => {
  console.error(`duckdb_bulk: ${error.message}`);
  process.exit(1);
});
