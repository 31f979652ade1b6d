import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Timer } from '@azure/functions';
import { parseHostJson } from '../../dev/host/hostJson';
import { startLocalHost, type LocalHost } from '../../dev/host/startLocalHost';
import { waitUntil } from './waitUntil';

const hostJson = parseHostJson({ version: '2.0' });
/** Longer than the one-second schedule, so the next occurrence comes while a run is going. */
const runMs = Number(process.env.TIMER_TEST_RUN_MS ?? 1300);

describe('timer triggers in the local host', () => {
  const hosts: LocalHost[] = [];
  after(() => Promise.all(hosts.map((host) => host.close())));

  it('runs as a singleton: an occurrence during a run is skipped, never overlapped', async () => {
    const lines: string[] = [];
    const timers: Timer[] = [];
    let running = 0;
    let maxRunning = 0;
    const host = await startLocalHost({
      declarations: [
        {
          kind: 'timer',
          name: 'poll',
          options: {
            schedule: '%FAST_SCHEDULE%',
            handler: async (timer: Timer) => {
              timers.push(timer);
              running += 1;
              maxRunning = Math.max(maxRunning, running);
              await sleep(runMs);
              running -= 1;
            },
          },
        },
      ],
      settings: { HOST_PORT: '0', FAST_SCHEDULE: '* * * * * *' },
      hostJson,
      writeLine: (line) => lines.push(line),
    });
    hosts.push(host);
    const skipped = (): boolean => lines.some((l) => l.startsWith('[poll] WARNING: Skipped'));
    const finished = (): number =>
      lines.filter((l) => l.startsWith('[poll] Executed (Succeeded')).length;
    await waitUntil(
      'two finished runs and a skipped occurrence',
      () => finished() >= 2 && skipped(),
    );
    assert.equal(maxRunning, 1);
    const [first, second] = timers;
    assert.ok(first && second);
    assert.equal(first.schedule.adjustForDST, true);
    assert.equal(typeof first.isPastDue, 'boolean');
    assert.equal(second.scheduleStatus.last > first.scheduleStatus.last, true);
    assert.ok(Date.parse(second.scheduleStatus.next) > Date.parse(second.scheduleStatus.last));
  });

  it('runs once at start-up when runOnStartup is set', async () => {
    let runs = 0;
    const host = await startLocalHost({
      declarations: [
        {
          kind: 'timer',
          name: 'yearly',
          options: { schedule: '0 0 0 1 1 *', runOnStartup: true, handler: () => void (runs += 1) },
        },
      ],
      settings: { HOST_PORT: '0' },
      hostJson,
      writeLine: () => undefined,
    });
    hosts.push(host);
    await waitUntil('the start-up run', () => runs === 1);
    assert.equal(runs, 1);
  });

  it('refuses to start with a schedule that is not 6-field NCRONTAB, naming the function', async () => {
    await assert.rejects(
      startLocalHost({
        declarations: [
          {
            kind: 'timer',
            name: 'bad',
            options: { schedule: '*/5 * * * *', handler: () => undefined },
          },
        ],
        settings: { HOST_PORT: '0' },
        hostJson,
        writeLine: () => undefined,
      }),
      /Function bad: schedule '\*\/5 \* \* \* \*' is not a valid 6-field NCRONTAB/,
    );
  });

  it('refuses to start when a %SETTING% in the schedule is not set', async () => {
    await assert.rejects(
      startLocalHost({
        declarations: [
          {
            kind: 'timer',
            name: 'poll',
            options: { schedule: '%POLL_SCHEDULE%', handler: () => undefined },
          },
        ],
        settings: { HOST_PORT: '0' },
        hostJson,
        writeLine: () => undefined,
      }),
      /setting POLL_SCHEDULE is not set/,
    );
  });
});
