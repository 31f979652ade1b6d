import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpawnedLocalHost } from '../../dev/host/spawnLocalHost';
import { superviseHost } from '../../dev/hostSupervisor';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A stand-in host process whose exit the test decides. */
function fakeHost(pid: number) {
  let exit!: (value: Exit) => void;
  const exited = new Promise<Exit>((resolve) => {
    exit = resolve;
  });
  const host: SpawnedLocalHost = {
    baseUrl: `http://127.0.0.1:${7000 + pid}/api`,
    port: 7000 + pid,
    pid,
    output: () => '',
    exited,
    stop: () => {
      exit({ code: 0, signal: null });
      return exited;
    },
  };
  return { host, crash: () => exit({ code: 1, signal: null }) };
}

describe('superviseHost', () => {
  it('gives up after too many crashes in the window and says so', async () => {
    const started: ReturnType<typeof fakeHost>[] = [];
    const lines: string[] = [];
    let resolveGaveUp!: () => void;
    const gaveUp = new Promise<void>((resolve) => {
      resolveGaveUp = resolve;
    });
    const supervisor = await superviseHost({
      start: () => {
        const next = fakeHost(started.length + 1);
        started.push(next);
        // Every host crashes as soon as it is up, the way a broken build would.
        queueMicrotask(next.crash);
        return Promise.resolve(next.host);
      },
      log: (line) => lines.push(line),
      onGiveUp: resolveGaveUp,
      maxRestarts: 2,
      restartDelayMs: 1,
    });
    await gaveUp;
    assert.equal(supervisor.restarts(), 2);
    assert.equal(started.length, 3);
    assert.match(lines.at(-1) ?? '', /crashed 3 times within 60 s; not restarting it again/);
    assert.match(lines[0] ?? '', /\(pid 1\) exited unexpectedly with code 1; restarting it/);
  });

  it('retries a host that fails to start, and reports why', async () => {
    let calls = 0;
    const lines: string[] = [];
    const first = fakeHost(1);
    const second = fakeHost(2);
    let restarted!: (host: SpawnedLocalHost) => void;
    const onRestart = new Promise<SpawnedLocalHost>((resolve) => {
      restarted = resolve;
    });
    const supervisor = await superviseHost({
      start: () => {
        calls += 1;
        if (calls === 1) return Promise.resolve(first.host);
        if (calls === 2) return Promise.reject(new Error('port 7071 is taken'));
        return Promise.resolve(second.host);
      },
      log: (line) => lines.push(line),
      onGiveUp: () => assert.fail('it should not give up'),
      onRestart: restarted,
      restartDelayMs: 1,
    });
    first.crash();
    assert.equal(await onRestart, second.host);
    assert.equal(supervisor.current(), second.host);
    assert.ok(lines.includes('The local Functions host did not start again: port 7071 is taken'));
    await supervisor.stop();
  });
});
