import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HubCallError } from '../../src/core/hubCallError';
import {
  backoffDelayMs,
  outcomeUnknown,
  withHubRetry,
  type HubRetryOptions,
} from '../../src/hub/withHubRetry';

interface Harness {
  options: HubRetryOptions;
  sleeps: number[];
}

function harness(overrides: Partial<HubRetryOptions> = {}): Harness {
  const sleeps: number[] = [];
  const options: HubRetryOptions = {
    retries: 4,
    baseDelayMs: 100,
    maxDelayMs: 5000,
    callTimeoutMs: 1000,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  };
  return { options, sleeps };
}

/** A call failing with the given errors in turn, then answering `done`. */
function failingThen(errors: Error[]): { call: () => Promise<string>; calls: () => number } {
  let count = 0;
  return {
    call: () => {
      const error = errors[count];
      count += 1;
      return error === undefined ? Promise.resolve('done') : Promise.reject(error);
    },
    calls: () => count,
  };
}

const transient = () => new HubCallError('transient', 'boom', { status: 503 });
const safe = { safeToRepeat: true };

describe('withHubRetry', () => {
  it('passes the gate before every attempt, retries included', async () => {
    const { options } = harness();
    const hub = failingThen([transient(), transient()]);
    let gated = 0;
    const beforeAttempt = () => {
      gated++;
      return Promise.resolve();
    };
    assert.equal(await withHubRetry(hub.call, { ...safe, beforeAttempt }, options), 'done');
    assert.equal(gated, 3);
    assert.equal(hub.calls(), 3);
  });

  it('sends nothing and throws overBudget when the gate refuses the first attempt', async () => {
    const { options } = harness();
    const hub = failingThen([]);
    const beforeAttempt = () => Promise.reject(new HubCallError('overBudget', 'spent'));
    await assert.rejects(withHubRetry(hub.call, { ...safe, beforeAttempt }, options), {
      kind: 'overBudget',
    });
    assert.equal(hub.calls(), 0);
  });

  it('throws the failure of the last attempt sent when the gate refuses a retry', async () => {
    const { options } = harness();
    const hub = failingThen([transient()]);
    let gated = 0;
    const beforeAttempt = () =>
      ++gated === 1 ? Promise.resolve() : Promise.reject(new HubCallError('overBudget', 'spent'));
    await assert.rejects(withHubRetry(hub.call, { ...safe, beforeAttempt }, options), {
      kind: 'transient',
      message: 'boom',
    });
    assert.equal(hub.calls(), 1);
  });

  it('retries transient failures with exponentially growing jittered waits', async () => {
    const { options, sleeps } = harness();
    const hub = failingThen([transient(), transient(), transient()]);
    assert.equal(await withHubRetry(hub.call, safe, options), 'done');
    assert.equal(hub.calls(), 4);
    // random() = 0.5: three quarters of 100, 200, 400.
    assert.deepEqual(sleeps, [75, 150, 300]);
  });

  it('keeps every wait between half and all of its exponential step', () => {
    const { options } = harness();
    for (const attempt of [1, 2, 3, 4]) {
      const step = 100 * 2 ** (attempt - 1);
      assert.equal(backoffDelayMs(attempt, { ...options, random: () => 0 }), step / 2);
      assert.equal(backoffDelayMs(attempt, { ...options, random: () => 0.999999 }), step);
    }
  });

  it('caps each wait at maxDelayMs', () => {
    const { options } = harness({ maxDelayMs: 250, random: () => 0.999999 });
    assert.equal(backoffDelayMs(10, options), 250);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const { options, sleeps } = harness();
    const throttled = new HubCallError('throttled', 'slow down', {
      status: 429,
      retryAfterMs: 2000,
    });
    const hub = failingThen([throttled]);
    await withHubRetry(hub.call, safe, options);
    assert.deepEqual(sleeps, [2000]);
  });

  it('gives up at once when Retry-After is beyond maxDelayMs, leaving the wait to the caller', async () => {
    const { options, sleeps } = harness({ maxDelayMs: 1000 });
    const throttled = new HubCallError('throttled', 'later', { status: 429, retryAfterMs: 60_000 });
    const hub = failingThen([throttled]);
    await assert.rejects(withHubRetry(hub.call, safe, options), throttled);
    assert.deepEqual(sleeps, []);
  });

  it('stops after the configured number of retries and throws the last failure', async () => {
    const { options, sleeps } = harness({ retries: 2 });
    const last = transient();
    const hub = failingThen([transient(), transient(), last, transient()]);
    await assert.rejects(withHubRetry(hub.call, safe, options), last);
    assert.equal(hub.calls(), 3);
    assert.equal(sleeps.length, 2);
  });

  it('does not retry errors that are not retryable', async () => {
    for (const kind of ['maxActiveJobs', 'notFound', 'badRequest', 'conflict'] as const) {
      const { options, sleeps } = harness();
      const hub = failingThen([new HubCallError(kind, kind)]);
      await assert.rejects(withHubRetry(hub.call, safe, options), { kind });
      assert.equal(hub.calls(), 1, kind);
      assert.deepEqual(sleeps, []);
    }
  });

  it('does not retry a call that is not safe to repeat', async () => {
    const { options } = harness();
    const hub = failingThen([transient()]);
    await assert.rejects(withHubRetry(hub.call, { safeToRepeat: false }, options), {
      kind: 'transient',
    });
    assert.equal(hub.calls(), 1);
  });

  it('classifies raw SDK and socket errors before deciding', async () => {
    const { options } = harness();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const hub = failingThen([reset]);
    assert.equal(await withHubRetry(hub.call, safe, options), 'done');
    const typeError = failingThen([new TypeError('bad')]);
    await assert.rejects(withHubRetry(typeError.call, safe, options), HubCallError);
    assert.equal(typeError.calls(), 1);
  });

  it('turns an attempt slower than callTimeoutMs into a transient failure and retries', async () => {
    const { options } = harness({ callTimeoutMs: 20, retries: 1 });
    let attempts = 0;
    const call = () => {
      attempts += 1;
      // The first attempt never answers; the second does.
      return attempts === 1 ? new Promise<string>(() => undefined) : Promise.resolve('second');
    };
    assert.equal(await withHubRetry(call, safe, options), 'second');
    assert.equal(attempts, 2);
  });

  it('reports the timeout as transient when no retry is left', async () => {
    const { options } = harness({ callTimeoutMs: 20, retries: 0 });
    const never = () => new Promise<string>(() => undefined);
    await assert.rejects(withHubRetry(never, safe, options), (error: unknown) => {
      assert.ok(error instanceof HubCallError);
      assert.equal(error.kind, 'transient');
      assert.match(error.message, /within 20 ms/);
      return true;
    });
  });

  it('hands each attempt the failure of the attempt before it', async () => {
    const { options } = harness({ callTimeoutMs: 20, retries: 2 });
    const seen: (string | undefined)[] = [];
    const call = (attempt: number, previous: HubCallError | undefined) => {
      seen.push(previous?.message);
      return attempt === 1 ? new Promise<string>(() => undefined) : Promise.resolve('answered');
    };
    assert.equal(await withHubRetry(call, safe, options), 'answered');
    assert.deepEqual(seen, [undefined, 'IoT Hub did not answer within 20 ms.']);
  });
});

describe('outcomeUnknown', () => {
  it('holds for a failure without an answer and for a 5xx, not for a 4xx', () => {
    assert.equal(outcomeUnknown(new HubCallError('transient', 'no answer')), true);
    assert.equal(outcomeUnknown(new HubCallError('transient', '504', { status: 504 })), true);
    assert.equal(outcomeUnknown(new HubCallError('throttled', '429', { status: 429 })), false);
    assert.equal(outcomeUnknown(new HubCallError('conflict', '409', { status: 409 })), false);
  });
});
