import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { scheduleResourceSchema } from '../schedules/scheduleResourceSchema';
import { deleteSchedule } from '../schedules/scheduleQueries';
import { parseScheduleId, scheduleIdSchema } from '../schedules/scheduleRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { scheduleDepsOf, scheduleResponse } from './scheduleResponses';

export const deleteScheduleHandler = httpHandler(async ({ request, services, deps }) => {
  const scheduleId = parseScheduleId(request.params.scheduleId);
  const deleted = await deleteSchedule(scheduleId, scheduleDepsOf(services, deps));
  return scheduleResponse(200, deleted);
});

export const deleteScheduleFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'deleteSchedule',
  options: {
    methods: ['DELETE'],
    authLevel: 'function',
    route: 'schedules/{scheduleId}',
    handler: deleteScheduleHandler,
  },
  api: {
    summary: 'Delete a schedule: it opens no more windows; rollouts it started run on.',
    pathParameters: { scheduleId: scheduleIdSchema },
    responses: {
      '200': jsonAnswer('Deleted: the schedule as it was.', scheduleResourceSchema),
      '400': problemAnswer('Bad schedule id.'),
      '404': problemAnswer('No such schedule.'),
      ...anyOtherProblem,
    },
  },
};
