// pm2 process file for a PostgreSQL deployment: one API process and four workers, all reading
// DATABASE_URL, AUDIT_MAC_KEY (the same for every process) and the rest of the settings from the
// environment pm2 is started with (see advocacy.env.example).
//
//   set -a; . /etc/advocacy-loop/advocacy.env; set +a
//   pm2 start deploy/ecosystem.config.js && pm2 save
//
// pm2 stops a process with SIGTERM and waits kill_timeout before SIGKILL: longer than the 30 s a
// worker gives the jobs in hand (a scan hands over after its current page well within it).
const path = require('node:path');

const script = path.join(__dirname, '..', 'bin', 'advocacy.js');
const common = { script, exec_mode: 'fork', autorestart: true, kill_timeout: 35000 };

module.exports = {
  apps: [
    { ...common, name: 'advocacy-api', args: 'serve', instances: 1 },
    { ...common, name: 'advocacy-worker', args: 'worker', instances: 4 },
  ],
};
