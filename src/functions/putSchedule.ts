import {
  anyOtherProblem,
  bodyProblems,
  jsonAnswer,
  locationHeader,
  problemAnswer,
} from '../http/httpApi';
import { readJsonBody } from '../http/readJsonBody';
import { putSchedule } from '../schedules/putSchedule';
import { scheduleResourceSchema } from '../schedules/scheduleResourceSchema';
import {
  parseScheduleId,
  parseScheduleRequest,
  scheduleIdSchema,
  scheduleRequestSchema,
} from '../schedules/scheduleRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { scheduleDepsOf, scheduleResponse } from './scheduleResponses';

/** PUT /schedules/{scheduleId}: 201 when created, 200 when replaced (or the same again). */
export const putScheduleHandler = httpHandler(async ({ request, services, deps }) => {
  const scheduleId = parseScheduleId(request.params.scheduleId);
  const body = await readJsonBody(request, services.settings.maxRequestBytes);
  const definition = parseScheduleRequest(body, services.rolloutRules);
  const { schedule, created } = await putSchedule(
    scheduleId,
    definition,
    scheduleDepsOf(services, deps),
  );
  return scheduleResponse(created ? 201 : 200, schedule, { withLocation: true });
});

export const putScheduleFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'putSchedule',
  options: {
    methods: ['PUT'],
    authLevel: 'function',
    route: 'schedules/{scheduleId}',
    handler: putScheduleHandler,
  },
  api: {
    summary: 'Create or replace a maintenance window schedule.',
    pathParameters: { scheduleId: scheduleIdSchema },
    requestBody: scheduleRequestSchema,
    responses: {
      '200': jsonAnswer(
        'Replaced (its runs kept), or the same again.',
        scheduleResourceSchema,
        locationHeader,
      ),
      '201': jsonAnswer('Created.', scheduleResourceSchema, locationHeader),
      '400': problemAnswer('Bad schedule id or body; each bad field is named. Nothing is stored.'),
      ...bodyProblems,
      ...anyOtherProblem,
    },
  },
};
