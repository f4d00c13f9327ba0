const { PGlite } = require('@electric-sql/pglite');
const defaults = ["--single","-F","-O","-j","-c","search_path=public","-c","exit_on_error=false","-c","log_checkpoints=false","-c","max_worker_processes=0","-c","max_parallel_workers=0","-c","max_parallel_workers_per_gather=0","-c","io_method=sync","-c","max_parallel_maintenance_workers=0"];
const sp = process.argv[2] === 'small' ? [...defaults, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'] : undefined;
(async () => {
  const t = performance.now();
  const pg = await PGlite.create('/tmp/uninst-bench/data', sp ? { startParams: sp } : {});
  const open = performance.now() - t;
  await pg.query('SELECT count(*) FROM asks');
  const t3 = performance.now(); await pg.close();
  console.log(process.argv[2].padEnd(6), 'open', open.toFixed(0), 'close', (performance.now() - t3).toFixed(0));
})();
