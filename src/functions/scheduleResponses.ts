import type { HttpResponseInit } from '@azure/functions';
import type { Services } from '../composition';
import type { RolloutDeps } from '../rollouts/rolloutDeps';
import type { NextOpening } from '../schedules/nextOpenings';
import type { Schedule } from '../schedules/schedule';
import type { ScheduleDeps } from '../schedules/scheduleDeps';
import { toScheduleResource } from '../schedules/scheduleResourceSchema';

/** Routes are served under `/api` (host.json `routePrefix`). */
export function scheduleLocation(scheduleId: string): string {
  return `/api/schedules/${scheduleId}`;
}

/** The use cases' ports with the schedules' own added. */
export function scheduleDepsOf(services: Services, deps: RolloutDeps): ScheduleDeps {
  return { ...deps, schedules: services.schedules, rolloutRules: services.rolloutRules };
}

export function scheduleResponse(
  status: number,
  schedule: Schedule,
  options: { nextOpenings?: NextOpening[]; withLocation?: boolean } = {},
): HttpResponseInit {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...(options.withLocation === true ? { location: scheduleLocation(schedule.scheduleId) } : {}),
    },
    jsonBody: toScheduleResource(schedule, options.nextOpenings),
  };
}
