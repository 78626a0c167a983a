import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_JSON, ProblemDetail } from '../../../errors/problem-detail';
import { faceErrorResponses } from '../../../openapi/face-error-responses';

/** RFC 7807 problem details in Halo's shape (`application/problem+json`). */
export class ProblemDetailSchema implements ProblemDetail {
  @ApiProperty({ example: 'about:blank', description: "Halo's problem type URI (about:blank when there is none)" })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ example: 'Name is required' })
  detail!: string;

  @ApiProperty({ example: '/apis/api.console.halo.run/v1alpha1/users' })
  instance!: string;

  @ApiProperty({ example: '9c4b7a52-2f1e-4d0a-8a63-2b7f0d5e6c11' })
  requestId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' })
  timestamp!: string;
}

function problem(status: number, title: string, detail: string, type = 'about:blank', instance = '/apis/api.console.halo.run/v1alpha1/users'): ProblemDetail {
  return { type, title, status, detail, instance, requestId: '9c4b7a52-2f1e-4d0a-8a63-2b7f0d5e6c11', timestamp: '2026-01-05T09:30:00.000Z' };
}

/**
 * Documents Halo-face error answers (problem+json): `@HaloErrors(400, 401, 403)`. 401 and 403
 * are what the permission guard answers; the rest come from the use-cases.
 */
export const HaloErrors = faceErrorResponses({
  model: ProblemDetailSchema,
  mediaType: PROBLEM_JSON,
  cases: {
    400: { description: 'Invalid body or query (the detail names the field)', example: problem(400, 'Bad Request', 'Name is required') },
    401: {
      description: 'No valid credentials (no session, unknown or revoked token, wrong Basic password)',
      example: problem(401, 'Unauthorized', 'Full authentication is required to access this resource.'),
    },
    403: { description: 'Signed in, but the roles do not grant this operation', example: problem(403, 'Forbidden', 'Access Denied') },
    404: { description: 'No such user, role or token', example: problem(404, 'Not Found', 'User jane was not found') },
    endpointOff: {
      status: 404,
      description: 'The endpoint is off (the metrics endpoint unless enabled): it does not exist for anybody',
      example: problem(404, 'Not Found', 'No static resource actuator/prometheus.', 'about:blank', '/actuator/prometheus'),
    },
    409: {
      description: 'Stale metadata.version, or the address is in use',
      example: problem(409, 'Conflict', 'Conflict detected, please check the data and retry.', 'https://halo.run/probs/conflict'),
    },
    413: { description: 'Body larger than the route allows', example: problem(413, 'Payload Too Large', 'The request body is too large.') },
    415: { description: 'Content type the route does not take', example: problem(415, 'Unsupported Media Type', 'Unsupported Media Type') },
    429: {
      description: 'A limit is reached (cooldown, hourly or daily sends, failed attempts, per-IP); `Retry-After` says when to retry',
      example: problem(429, 'Request Not Permitted', 'API rate limit exceeded, please try again later.', 'https://halo.run/probs/request-not-permitted'),
    },
    503: {
      description: 'Database or mail channel unavailable, or too many password checks waiting (`Retry-After: 1`); `Retry-After` is set',
      example: problem(503, 'Service Unavailable', 'The service is temporarily unavailable.'),
    },
  },
});
