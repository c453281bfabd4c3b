import { DuckDBInstance } from '@duckdb/node-api';
import { wafLogsDuckDbSource } from './src/index.ts';
const dir = '/tmp/waf-insights-bench-1000000';
const files = Array.from({ length: 8 }, (_, i) => `${dir}/part-${i}.log.gz`);
const configs: Record<string, string>[] = [
  { threads: '2' },
  { threads: '2', preserve_insertion_order: 'false' },
  { threads: '3' },
  { threads: '4' },
  { threads: '2' },
];
for (const cfg of configs) {
  const inst = await DuckDBInstance.create(':memory:', cfg);
  const con = await inst.connect();
  await con.run('select 1');
  await con.run(`CREATE VIEW w AS ${wafLogsDuckDbSource(files)}`);
  let s = performance.now();
  await con.runAndReadAll(`SELECT coalesce("httpRequest"."clientIp", '-') ip, count(*) n FROM w GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`);
  const first = performance.now() - s;
  s = performance.now();
  await con.runAndReadAll(`SELECT coalesce("httpRequest"."clientIp", '-') ip, count(*) n FROM w GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`);
  console.log(JSON.stringify(cfg), (first / 1000).toFixed(2), ((performance.now() - s) / 1000).toFixed(2));
}
