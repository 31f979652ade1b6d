import { hubErrors } from '../hubError';
import {
  compileCondition,
  compileProjection,
  groupRow,
  groupValues,
  operandReader,
  parseQuery,
  QuerySyntaxError,
  type ParsedQuery,
} from '../query/index';
import type { DeviceState } from './deviceState';
import type { DeviceStore } from './deviceStore';
import { hash32 } from './hash';
import type { JobEngine } from './jobEngine';
import { jobIdOfCondition } from './jobIdOfCondition';
import { toDeviceJobJson, type DeviceJobJson } from './jobJson';
import type { JobState } from './jobState';
import { decodeToken, encodeToken, pageSizeOf } from './paging';
import { toTwinJson } from './twinJson';
import type { Page, PageRequest } from './types';

export type QueryItemType = 'Twin' | 'DeviceJob' | 'JSON';
export type QueryPage = Page<object> & { itemType: QueryItemType };

export interface HubQueryDeps {
  store: DeviceStore;
  jobs: JobEngine;
  canceledSpelling: 'canceled' | 'cancelled';
}

function parse(sql: string): ParsedQuery {
  try {
    return parseQuery(sql);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw hubErrors.genericBadRequest(error.message);
    throw error;
  }
}

/**
 * `POST /devices/query`: twins (`FROM devices`), device job records (`FROM devices.jobs`), a
 * count, projected twin fields (`SELECT deviceId, tags.ring FROM devices`) or counts per value
 * (`SELECT tags.x AS x, COUNT() AS n FROM devices GROUP BY tags.x`) as JSON items.
 */
export function runHubQuery(deps: HubQueryDeps, sql: string, page: PageRequest): QueryPage {
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw hubErrors.genericBadRequest('The query is missing.');
  }
  const parsed = parse(sql);
  const scope = `${parsed.from}|${hash32(sql)}`;
  if (parsed.from === 'devices.jobs') {
    if (parsed.select.kind === 'count') {
      throw hubErrors.genericBadRequest('devices.jobs queries support only SELECT *.');
    }
    return { ...deviceJobsPage(deps, parsed, scope, page), itemType: 'DeviceJob' };
  }
  if (parsed.select.kind === 'count') {
    return {
      items: [{ [parsed.select.alias]: countDevices(deps.store, parsed) }],
      itemType: 'JSON',
    };
  }
  if (parsed.select.kind === 'grouped') {
    return { ...groupsPage(deps.store, parsed, scope, page), itemType: 'JSON' };
  }
  if (parsed.select.kind === 'fields') {
    const project = compileProjection(parsed.select.fields);
    const toItem = (device: DeviceState) => project(toTwinJson(device));
    return { ...devicesPage(deps.store, parsed, scope, page, toItem), itemType: 'JSON' };
  }
  return { ...devicesPage(deps.store, parsed, scope, page, toTwinJson), itemType: 'Twin' };
}

function countDevices(store: DeviceStore, parsed: ParsedQuery): number {
  const selects = compileCondition(parsed.where);
  let count = 0;
  for (const device of store.after()) if (selects(device)) count += 1;
  return count;
}

/**
 * One page of a grouped count. Every page counts the whole selection again and resumes at the
 * next group in value order, so the groups of a page are exact as of that page's request.
 */
function groupsPage(
  store: DeviceStore,
  parsed: ParsedQuery,
  scope: string,
  page: PageRequest,
): Page<object> {
  if (parsed.select.kind !== 'grouped') throw new Error('groupsPage needs a grouped query');
  const { groupBy, columns } = parsed.select;
  const start = decodeToken(page.continuationToken, scope)?.[0] ?? 0;
  const selects = compileCondition(parsed.where);
  const read = operandReader(groupBy);
  const values = function* () {
    for (const device of store.after()) {
      // Read from the state as conditions are, so a group's value selects exactly its devices.
      if (selects(device)) yield read(device);
    }
  };
  const groups = groupValues(values());
  const end = start + pageSizeOf(page);
  const items = groups.slice(start, end).map((group) => groupRow(group, columns));
  return end < groups.length ? { items, continuationToken: encodeToken(scope, [end]) } : { items };
}

/** One page of the devices the condition selects, each answered as `toItem` makes it. */
function devicesPage<T>(
  store: DeviceStore,
  parsed: ParsedQuery,
  scope: string,
  page: PageRequest,
  toItem: (device: DeviceState) => T,
): Page<T> {
  const afterOrder = decodeToken(page.continuationToken, scope)?.[0] ?? -1;
  const pageSize = pageSizeOf(page);
  const selects = compileCondition(parsed.where);
  const items: T[] = [];
  let lastOrder = afterOrder;
  for (const device of store.after(afterOrder)) {
    if (!selects(device)) continue;
    if (items.length === pageSize)
      return { items, continuationToken: encodeToken(scope, [lastOrder]) };
    items.push(toItem(device));
    lastOrder = device.$.order;
  }
  return { items };
}

function jobsToScan(jobs: JobEngine, parsed: ParsedQuery): Iterable<JobState> {
  const jobId = jobIdOfCondition(parsed.where);
  if (jobId === undefined) return jobs.jobsInOrder();
  const job = jobs.find(jobId);
  return job ? [job] : [];
}

function deviceJobsPage(
  deps: HubQueryDeps,
  parsed: ParsedQuery,
  scope: string,
  page: PageRequest,
): Page<DeviceJobJson> {
  const [afterSeq = 0, afterIndex = -1] = decodeToken(page.continuationToken, scope) ?? [];
  const pageSize = pageSizeOf(page);
  const selects = compileCondition(parsed.where);
  const items: DeviceJobJson[] = [];
  let last = [afterSeq, afterIndex];
  for (const job of jobsToScan(deps.jobs, parsed)) {
    if (job.seq < afterSeq) continue;
    const firstIndex = job.seq === afterSeq ? afterIndex + 1 : 0;
    for (let index = firstIndex; index < job.devices.length; index++) {
      const record = job.devices[index];
      if (!record) continue;
      const row = toDeviceJobJson(job, record, deps.canceledSpelling);
      if (!selects(row)) continue;
      if (items.length === pageSize) return { items, continuationToken: encodeToken(scope, last) };
      items.push(row);
      last = [job.seq, index];
    }
  }
  return { items };
}
