import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, parseQuery } from '../../dev/hub-emulator/query';
import {
  buildDeviceIdCondition,
  hubQueryLength,
  hubQueryPrefix,
  maxHubQueryLength,
} from '../../src/core/deviceIdCondition';
import { ValidationError } from '../../src/core/errors';
import { minimumChunkCount, planRollout, summarizeWaves } from '../../src/rollouts/planRollout';
import { mergeStatistics } from '../../src/rollouts/mergeStatistics';
import type { PlannedChunk } from '../../src/rollouts/rollout';

/** Ids of varied lengths (1 to `maxLength`), distinct, deterministic. */
function deviceIds(count: number, maxLength = 60): string[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `d${i.toString(36)}-`;
    return id.concat('x'.repeat(Math.max(0, ((i * 7919) % maxLength) - id.length)));
  });
}

function idsNamedBy(condition: string): string[] {
  const list = /deviceId IN \[([^\]]*)\]/.exec(condition)?.[1] ?? '';
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
}

function assertEachIdOnce(chunks: readonly PlannedChunk[], ids: readonly string[]): void {
  const named = chunks.flatMap((chunk) => idsNamedBy(chunk.queryCondition));
  assert.equal(named.length, ids.length);
  assert.deepEqual(named, [...ids], 'every id once, in order');
}

function predicate(condition: string): (row: object) => boolean {
  return compileCondition(parseQuery(`${hubQueryPrefix}${condition}`).where);
}

const longest = (chunks: readonly PlannedChunk[]) =>
  Math.max(...chunks.map((chunk) => hubQueryLength(chunk.queryCondition)));

describe('planRollout', () => {
  it('packs ids into chunks whose whole query fits the limit, each id once', () => {
    const ids = deviceIds(20_000, 128);
    const chunks = planRollout({ deviceIds: ids });
    assert.ok(longest(chunks) <= maxHubQueryLength, `longest ${longest(chunks)}`);
    assertEachIdOnce(chunks, ids);
    assert.ok(chunks.every((chunk) => chunk.wave === 1));
    assert.deepEqual(
      chunks.map((chunk) => chunk.chunk),
      chunks.map((_, index) => index + 1),
    );
    assert.equal(
      chunks.reduce((sum, chunk) => sum + (chunk.deviceCount ?? 0), 0),
      ids.length,
    );
  });

  it('writes the condition as core does, and fills chunks to within one id of the limit', () => {
    const ids = deviceIds(3000);
    const chunks = planRollout({ deviceIds: ids });
    const first = chunks[0]!;
    assert.equal(first.queryCondition, buildDeviceIdCondition(idsNamedBy(first.queryCondition)));
    for (const chunk of chunks.slice(0, -1)) {
      assert.ok(
        hubQueryLength(chunk.queryCondition) > maxHubQueryLength - 64,
        'greedy: nearly full',
      );
    }
  });

  it('is deterministic', () => {
    const ids = deviceIds(5000);
    assert.deepEqual(
      planRollout({ deviceIds: ids }, { count: 700 }),
      planRollout({ deviceIds: [...ids] }, { count: 700 }),
    );
  });

  it('makes count waves of N ids, the last holding the rest', () => {
    const ids = deviceIds(2500);
    const waves = summarizeWaves(planRollout({ deviceIds: ids }, { count: 1000 }));
    assert.deepEqual(
      waves.map((wave) => wave.deviceCount),
      [1000, 1000, 500],
    );
    assert.ok(waves.every((wave) => wave.jobCount >= 1));
    assertEachIdOnce(planRollout({ deviceIds: ids }, { count: 1000 }), ids);
  });

  it('makes percent waves of ceil(P% of the ids)', () => {
    const waves = summarizeWaves(planRollout({ deviceIds: deviceIds(1000) }, { percent: 30 }));
    assert.deepEqual(
      waves.map((wave) => wave.deviceCount),
      [300, 300, 300, 100],
    );
    const tiny = summarizeWaves(planRollout({ deviceIds: deviceIds(7) }, { percent: 10 }));
    assert.deepEqual(
      tiny.map((wave) => wave.deviceCount),
      [1, 1, 1, 1, 1, 1, 1],
    );
  });

  it('refuses waves so small they would make more than 1000', () => {
    assert.throws(
      () => planRollout({ deviceIds: deviceIds(2000) }, { count: 1 }),
      (error: unknown) =>
        error instanceof ValidationError && error.errors[0]?.field === 'waves.count',
    );
    assert.throws(
      () => planRollout({ deviceIds: deviceIds(2000) }, { percent: 0.01 }),
      (error: unknown) =>
        error instanceof ValidationError && error.errors[0]?.field === 'waves.percent',
    );
  });

  it('runs a condition without waves as one chunk with that condition', () => {
    assert.deepEqual(planRollout({ queryCondition: "tags.site = 'berlin'" }), [
      { wave: 1, chunk: 1, queryCondition: "tags.site = 'berlin'" },
    ]);
    assert.throws(
      () => planRollout({ queryCondition: 'a = 1' }, { count: 10 }),
      /resolve it first/,
    );
  });

  it('makes each group wave its group AND-ed with the targets, the earlier groups excluded', () => {
    const groups = ["tags.ring = 'canary'", "tags.ring = 'early'", 'tags.broad = true'];
    const chunks = planRollout({ queryCondition: "tags.site = 'b'" }, { groups });
    assert.deepEqual(
      chunks.map((chunk) => chunk.queryCondition),
      [
        "(tags.site = 'b') AND (tags.ring = 'canary')",
        "(tags.site = 'b') AND (tags.ring = 'early') AND NOT (tags.ring = 'canary')",
        "(tags.site = 'b') AND (tags.broad = true) AND NOT (tags.ring = 'canary') AND NOT (tags.ring = 'early')",
      ],
    );
    assert.ok(chunks.every((chunk) => chunk.chunk === 1 && chunk.deviceCount === undefined));
  });

  it('operates a device in two groups once, in the first group it matches', () => {
    const groups = ["tags.ring = 'canary'", 'tags.broad = true'];
    const fleet = [
      { deviceId: 'a', tags: { site: 'b', ring: 'canary', broad: true } },
      { deviceId: 'b', tags: { site: 'b', ring: 'canary', broad: false } },
      { deviceId: 'c', tags: { site: 'b', ring: 'late', broad: true } },
      { deviceId: 'd', tags: { site: 'x', ring: 'canary', broad: true } },
      { deviceId: 'e', tags: { site: 'b', ring: 'late', broad: false } },
    ];
    const byCondition = planRollout({ queryCondition: "tags.site = 'b'" }, { groups });
    const byIds = planRollout({ deviceIds: ['a', 'b', 'c', 'd', 'e'] }, { groups });
    for (const chunks of [byCondition, byIds]) {
      const wavesOf = (deviceId: string) =>
        chunks
          .filter((chunk) =>
            predicate(chunk.queryCondition)(fleet.find((d) => d.deviceId === deviceId)!),
          )
          .map((chunk) => chunk.wave);
      assert.deepEqual(['a', 'b', 'c', 'e'].map(wavesOf), [[1], [1], [2], []]);
    }
    assert.deepEqual(byCondition.length, 2);
  });

  it('budgets id chunks of a group wave with the group text, wave by wave', () => {
    const ids = deviceIds(6000);
    const groups = [`tags.ring = '${'c'.repeat(1500)}'`, `tags.ring = '${'e'.repeat(1500)}'`];
    const chunks = planRollout({ deviceIds: ids }, { groups });
    assert.ok(longest(chunks) <= maxHubQueryLength, `longest ${longest(chunks)}`);
    const waves = summarizeWaves(chunks);
    assert.equal(waves.length, 2);
    assert.ok(waves[1]!.jobCount > waves[0]!.jobCount, 'wave 2 excludes group 1: less room');
    assert.ok(waves.every((wave) => wave.deviceCount === undefined));
    for (const wave of [1, 2])
      assertEachIdOnce(
        chunks.filter((chunk) => chunk.wave === wave),
        ids,
      );
    assert.ok(chunks.every((chunk) => predicate(chunk.queryCondition) !== undefined));
  });

  it('names the group whose wave would not fit the hub limit', () => {
    const groups = [
      "tags.a = 'x'",
      `tags.b = '${'y'.repeat(4100)}'`,
      `tags.c = '${'z'.repeat(4100)}'`,
    ];
    for (const targets of [{ queryCondition: 'tags.site = 1' }, { deviceIds: ['m1'] }]) {
      assert.throws(
        () => planRollout(targets, { groups }),
        (error: unknown) =>
          error instanceof ValidationError && error.errors[0]?.field === 'waves.groups.2',
      );
    }
  });
});

describe('minimumChunkCount', () => {
  it('is a lower bound the plan stays within one percent of', () => {
    const ids = deviceIds(50_000);
    for (const waves of [
      undefined,
      { count: 10_000 },
      { percent: 25 },
      { groups: ['a = 1', 'b = 2'] },
    ]) {
      const planned = planRollout({ deviceIds: ids }, waves).length;
      const minimum = minimumChunkCount(ids, waves);
      assert.ok(planned >= minimum && planned <= minimum * 1.01, `${planned} vs ${minimum}`);
    }
  });

  it('is exact when every chunk can be filled to the last character', () => {
    // 8,192 − 28 (SELECT * FROM devices WHERE ) − 14 (deviceId IN [ ] and no first comma) leaves
    // 8,150 for the ids: 1,629 of 2 characters (4 quoted, plus a comma) and one of 3 fill it.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const pairs = [...alphabet].flatMap((a) => [...alphabet].map((b) => `${a}${b}`));
    const ids = [...pairs.slice(0, 1629), 'AAA', ...pairs.slice(1629, 3258), 'BBB'];
    const chunks = planRollout({ deviceIds: ids });
    assert.deepEqual(
      chunks.map((chunk) => hubQueryLength(chunk.queryCondition)),
      [maxHubQueryLength, maxHubQueryLength],
    );
    assert.equal(minimumChunkCount(ids), 2);
    assert.equal(minimumChunkCount([...ids, 'C']), 3, 'one id more needs a third chunk');
  });
});

describe('mergeStatistics', () => {
  it('sums every count, cancelledCount included, absent as 0', () => {
    assert.deepEqual(
      mergeStatistics([
        {
          deviceCount: 3,
          succeededCount: 1,
          failedCount: 1,
          runningCount: 0,
          pendingCount: 0,
          cancelledCount: 1,
        },
        { deviceCount: 2, succeededCount: 1, failedCount: 0, runningCount: 1, pendingCount: 0 },
      ]),
      {
        deviceCount: 5,
        succeededCount: 2,
        failedCount: 1,
        runningCount: 1,
        pendingCount: 0,
        cancelledCount: 1,
      },
    );
    assert.equal(mergeStatistics([]).deviceCount, 0);
  });
});
