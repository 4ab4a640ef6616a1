-- sqlite_script.sql: fed to sqlite_driver.c by tests/real_programs.rs. Exercises tables,
-- inserts, indexes, a recursive CTE, aggregates, joins, window functions, string and printf
-- formatting, floating point and JSON; every result is printed, so the linked SQLite's
-- behaviour is visible in stdout.
CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, population INTEGER);
INSERT INTO city (name, country, population) VALUES
  ('Lisbon', 'PT', 545000), ('Porto', 'PT', 232000), ('Madrid', 'ES', 3305000),
  ('Seville', 'ES', 684000), ('Lyon', 'FR', 522000), ('Paris', 'FR', 2102000),
  ('Nice', 'FR', 342000), ('Turin', 'IT', 848000);
CREATE INDEX city_country ON city(country, population);
SELECT country, count(*) AS n, sum(population) AS total, round(avg(population), 2) AS mean,
       max(name) AS last_name
  FROM city GROUP BY country ORDER BY total DESC;
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 40)
  SELECT n, a FROM fib WHERE n % 8 = 0;
WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < 1000)
  SELECT count(*) AS c, sum(x) AS s, sum(x * x) % 1000003 AS sq, group_concat(x, ',') FILTER (WHERE x % 97 = 0) AS some
  FROM seq;
CREATE TABLE visit (city_id INTEGER REFERENCES city(id), day INTEGER, guests REAL);
WITH RECURSIVE d(day) AS (SELECT 1 UNION ALL SELECT day + 1 FROM d WHERE day < 30)
  INSERT INTO visit SELECT city.id, d.day, (city.id * 37 + d.day * 11) % 101 / 4.0 FROM city, d;
SELECT c.name, count(v.day) AS days, printf('%.3f', sum(v.guests)) AS guests,
       printf('%8.2e|%-6s|%05d', max(v.guests), c.country, min(v.day * c.id)) AS fmt
  FROM city c JOIN visit v ON v.city_id = c.id GROUP BY c.id HAVING days > 0 ORDER BY c.name;
SELECT name, population, rank() OVER (PARTITION BY country ORDER BY population DESC) AS r,
       sum(population) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS running
  FROM city ORDER BY id;
UPDATE city SET population = population + 1000 WHERE country IN ('PT', 'IT');
DELETE FROM visit WHERE guests < 3;
SELECT count(*) AS visits, total(guests) AS guests FROM visit;
SELECT upper(name) AS u, lower(country) AS l, length(name) AS len, substr(name, 2, 3) AS sub,
       replace(name, 'o', '0') AS rep, hex(name) AS hx, instr(name, 'i') AS i
  FROM city WHERE name LIKE '%i%' ORDER BY name;
SELECT 1e308 * 10 AS inf, -0.0 AS negzero, 7 / 2 AS idiv, 7 / 2.0 AS fdiv, 7 % 3 AS m,
       abs(-9223372036854775807) AS big, cast('12.5abc' AS REAL) AS r, round(2.5) AS rnd,
       round(sqrt(2), 9) AS sqrt2, round(exp(1.5) * pi(), 6) AS math, typeof(1) || typeof(1.0) || typeof('x') || typeof(NULL) AS types;
SELECT json_object('name', name, 'pop', population) AS j FROM city WHERE id <= 2;
SELECT json_extract('{"a":[1,2,{"b":"c"}]}', '$.a[2].b') AS jb, json_array_length('[1,2,3,4]') AS jl;
SELECT quote(x'00ff'), zeroblob(3) = x'000000' AS zb, coalesce(NULL, NULL, 'third') AS co,
       nullif(3, 3) AS nf, iif(1 > 2, 'yes', 'no') AS iff;
