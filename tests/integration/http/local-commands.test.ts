import express from 'express';
import request from 'supertest';
import { readRawBody } from '../../../backend/src/http/body';
import { errorMiddleware } from '../../../backend/src/http/errors';
import { localCommandRoutes } from '../../../backend/src/http/routes/local-command-routes';

// The endpoint a CLI beside the embedded service sends its commands to: only with the token
// from the data folder; the command's output comes back as NDJSON frames ending with its exit code.

function appWith(token: string) {
  const ran: string[][] = [];
  const app = express();
  app.use(readRawBody());
  app.use(
    '/local/v1',
    localCommandRoutes({
      token,
      runCommand: async (argv, io) => {
        ran.push(argv);
        io.stdout.write(`ran ${argv.join(' ')}\n`);
        io.stderr.write('a warning\n');
        return 3;
      },
    }),
  );
  app.use(errorMiddleware);
  return { app, ran };
}

describe('local command endpoint', () => {
  it('when the token is missing or wrong, then nothing runs and the answer is 401', async () => {
    const { app, ran } = appWith('right-token-0123456789');
    await request(app).post('/local/v1/commands').send({ argv: ['asks'], cwd: '/' }).expect(401);
    await request(app).post('/local/v1/commands').set('authorization', 'Bearer wrong-token-0123456789').send({ argv: ['asks'], cwd: '/' }).expect(401);
    expect(ran).toEqual([]);
  });

  it('when the token is right, then the command runs and its output and exit code stream back', async () => {
    const { app, ran } = appWith('right-token-0123456789');
    const res = await request(app).post('/local/v1/commands').set('authorization', 'Bearer right-token-0123456789').send({ argv: ['scan', '--json'], cwd: '/tmp' }).expect(200);
    expect(ran).toEqual([['scan', '--json']]);
    expect(res.text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ out: 'ran scan --json\n' }, { err: 'a warning\n' }, { exit: 3 }]);
  });

  it('when the body is not a command line, then it is refused with the problem named', async () => {
    const { app, ran } = appWith('right-token-0123456789');
    const res = await request(app).post('/local/v1/commands').set('authorization', 'Bearer right-token-0123456789').send({ argv: [], cwd: '/' }).expect(400);
    expect(JSON.stringify(res.body.error)).toContain('argv');
    expect(ran).toEqual([]);
  });
});
