/**
 * Result paging over the Athena emulator: the runner's typed iterator (header skip + cast by column type)
 * against a bare GetQueryResults loop with the same client, in the same run. Prints rows/s and the ratio.
 * BENCH_ROWS sets the size (default 50,000).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { AthenaClient, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { testCredentials } from '@secblocks/core/testing';
import { createAthenaRunner, createDuckDbRunner } from '../src/index.js';
import { startAthenaEmulator } from '../src/testing/index.js';

const rows = Number(process.env.BENCH_ROWS ?? 50_000);
const emu = await startAthenaEmulator({
  respond: () => ({
    states: [],
    columns: [
      { name: 'bucket', type: 'varchar' },
      { name: 'type', type: 'varchar' },
      { name: 'total', type: 'bigint' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [`bucket-${i % 97}`, `TYPE_${i % 13}`, 3_000_000_000 + i]),
  }),
});
const client = new AthenaClient({
  endpoint: emu.endpoint,
  region: 'us-east-1',
  credentials: testCredentials(),
});
const athena = createAthenaRunner({ client, database: 'bench', poll: { baseDelayMs: 1, maxDelayMs: 2 } });

const execution = await athena.execute('SELECT 1');
const id = execution.queryExecutionId;
const bare = async (): Promise<number> => {
  let raw = 0;
  let token: string | undefined;
  do {
    const out = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }),
    );
    raw += out.ResultSet?.Rows?.length ?? 0;
    token = out.NextToken;
  } while (token);
  return raw;
};
await bare(); // warm the connection
let t = performance.now();
const raw = await bare();
const bareMs = performance.now() - t;

t = performance.now();
let typedRows = 0;
for await (const page of athena.pages(id)) typedRows += page.rows.length;
const runnerMs = performance.now() - t;

const duck = createDuckDbRunner({ threads: 2 });
t = performance.now();
const agg = await duck.run('SELECT count(*) AS n, sum(x) AS s FROM range(?) t(x)', { params: [rows * 100] });
const duckMs = performance.now() - t;
await duck.close();

console.log(
  `athena runner: ${typedRows} typed rows in ${runnerMs.toFixed(0)} ms (${((typedRows / runnerMs) * 1000).toFixed(0)} rows/s)`,
);
console.log(`bare GetQueryResults loop: ${raw - 1} rows in ${bareMs.toFixed(0)} ms`);
console.log(
  `ratio runner / bare: ${(runnerMs / bareMs).toFixed(2)}x (the cost of casting and header handling)`,
);
console.log(
  `duckdb: count+sum over ${rows * 100} rows in ${duckMs.toFixed(0)} ms -> n=${agg.rows[0]?.n} (a number)`,
);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
client.destroy();
await emu.close();
