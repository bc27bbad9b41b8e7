import { CancelStatementCommand } from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest, PAUSE } from './support';

// A local poll loop's Wait ends when the statement it watches ends (server.whenEnded): it must
// settle on every way a statement ends, and only for a statement that is still active.

const h = dataApiHarnessPerTest();

const settledYet = async (promise: Promise<void>) => {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return settled;
};

test.each([
  ['finishes', 'SELECT 1', 'FINISHED'],
  ['fails', 'SELECT 1 / 0', 'FAILED'],
])('settles once a running statement %s, not before', async (_, sql, status) => {
  const pause = h.pauseNext();
  const id = await h.submit(`${sql} ${PAUSE}`);
  await pause.reached;
  const ended = h.server.whenEnded(id);
  expect(ended).toBeDefined();
  expect(await settledYet(ended!)).toBe(false);
  pause.release();
  await ended;
  await expect(h.describe(id)).resolves.toMatchObject({ Status: status });
});

test('settles for a queued statement that is cancelled before it runs', async () => {
  await h.serial();
  const pause = h.pauseNext();
  const running = await h.submit(`SELECT 1 ${PAUSE}`);
  await pause.reached;
  const queued = await h.submit('SELECT 2');
  const ended = h.server.whenEnded(queued);
  await h.client.send(new CancelStatementCommand({ Id: queued }));
  await ended;
  await expect(h.describe(queued)).resolves.toMatchObject({ Status: 'ABORTED' });
  pause.release();
  await h.settled(running);
});

test('is undefined for a statement that has already ended, and for an id it does not know', async () => {
  const id = await h.submit('SELECT 1');
  await h.settled(id);
  expect(h.server.whenEnded(id)).toBeUndefined();
  expect(h.server.whenEnded('00000000-0000-0000-0000-000000000000')).toBeUndefined();
});
