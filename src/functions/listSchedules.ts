import { anyOtherProblem, jsonAnswer, problemAnswer } from '../http/httpApi';
import { parseQueryParams } from '../http/queryParams';
import { listSchedules } from '../schedules/scheduleQueries';
import {
  scheduleListResponseSchema,
  toScheduleResource,
} from '../schedules/scheduleResourceSchema';
import { scheduleListQuerySchema } from '../schedules/scheduleRequestSchema';
import type { ApiFunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';
import { pageAnswer } from './listAnswers';
import { scheduleDepsOf } from './scheduleResponses';

export const listSchedulesHandler = httpHandler(async ({ request, services, deps }) => {
  const { pageSize, continuationToken } = parseQueryParams(scheduleListQuerySchema, request.query);
  const page = await listSchedules(
    { pageSize, ...(continuationToken === undefined ? {} : { continuationToken }) },
    scheduleDepsOf(services, deps),
  );
  return pageAnswer(page, (schedule) => toScheduleResource(schedule));
});

export const listSchedulesFunction: ApiFunctionDeclaration = {
  kind: 'http',
  name: 'listSchedules',
  options: {
    methods: ['GET'],
    authLevel: 'function',
    route: 'schedules',
    handler: listSchedulesHandler,
  },
  api: {
    summary: 'Schedules in id order, paged (without nextOpenings: GET one for those).',
    query: scheduleListQuerySchema,
    responses: {
      '200': jsonAnswer('One page of schedules.', scheduleListResponseSchema),
      '400': problemAnswer(
        'A bad or unknown query parameter, each named; or a bad continuation token.',
      ),
      ...anyOtherProblem,
    },
  },
};
