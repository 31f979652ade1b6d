import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { getSchedule, scheduleNextOpenings } from '../schedules/scheduleQueries';
import { scheduleResourceSchema } from '../schedules/scheduleResourceSchema';
import { parseScheduleId, scheduleIdSchema } from '../schedules/scheduleRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { scheduleDepsOf, scheduleResponse } from './scheduleResponses';

export const getScheduleHandler = httpHandler(async ({ request, services, deps }) => {
  const scheduleDeps = scheduleDepsOf(services, deps);
  const schedule = await getSchedule(parseScheduleId(request.params.scheduleId), scheduleDeps);
  const nextOpenings = await scheduleNextOpenings(schedule, scheduleDeps);
  return scheduleResponse(200, schedule, { nextOpenings });
});

export const getScheduleFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'getSchedule',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'schedules/{scheduleId}',
    handler: getScheduleHandler,
  },
  api: {
    summary: 'The schedule with its next 5 openings (5 per zone if device-local) and recent runs.',
    pathParameters: { scheduleId: scheduleIdSchema },
    responses: {
      '200': jsonAnswer('The schedule.', scheduleResourceSchema),
      '400': problemAnswer('Bad schedule id.'),
      '404': problemAnswer('No such schedule.'),
      ...anyOtherProblem,
    },
  },
};
