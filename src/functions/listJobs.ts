import { listJobs } from '../jobs/jobQueries';
import { toJobResource } from '../jobs/schemas';
import { parseJobListQuery } from '../http/queryParams';
import type { FunctionDeclaration } from './functionDeclaration';
import { httpHandler } from './httpEdge';

export const listJobsHandler = httpHandler(async ({ request, deps }) => {
  const { pageSize, continuationToken, ...filter } = parseJobListQuery(request.query);
  const page = await listJobs(filter, { pageSize, continuationToken }, deps);
  return {
    status: 200,
    jsonBody: {
      items: page.items.map(toJobResource),
      ...(page.continuationToken === undefined
        ? {}
        : { continuationToken: page.continuationToken }),
    },
  };
});

export const listJobsFunction: FunctionDeclaration = {
  kind: 'http',
  name: 'listJobs',
  options: { methods: ['GET'], authLevel: 'function', route: 'jobs', handler: listJobsHandler },
};
